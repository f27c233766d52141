import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../helpers';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a Markdown file offers, outside code fences (repeated headings get -1, -2 as on GitHub). */
function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = anchorOf(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every relative link target in a Markdown file, outside code fences and inline code. */
function linksIn(markdown: string): string[] {
  const links: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/i.test(match[1])) links.push(match[1]);
    }
  }
  return links;
}

const documents = [
  'README.md',
  ...readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('documentation links', () => {
  it.each(documents)('every link and anchor in %s resolves', (document) => {
    const source = path.join(PROJECT_ROOT, document);
    const broken: string[] = [];
    for (const link of linksIn(readFileSync(source, 'utf8'))) {
      const [file, anchor] = link.split('#');
      const target = file === '' ? source : path.resolve(path.dirname(source), file);
      if (!existsSync(target)) {
        broken.push(`${link} (no such file)`);
      } else if (anchor !== undefined && !anchorsIn(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README links to every page under docs/, and every page links back', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const document of documents.filter((name) => name.startsWith('docs/'))) {
      expect(readme).toContain(`](${document})`);
      expect(readFileSync(path.join(PROJECT_ROOT, document), 'utf8')).toContain('](../README.md)');
    }
  });

  it('finds a broken anchor', () => {
    expect(anchorsIn('# A title\n## Planning a stack (plain)\n```\n# not a heading\n```\n')).toEqual(
      new Set(['a-title', 'planning-a-stack-plain']),
    );
    expect(linksIn('see [x](docs/a.md#b) and `[y](z.md)` and [web](https://example.com)')).toEqual(['docs/a.md#b']);
  });
});
