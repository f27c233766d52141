import { compileGlob, foldCase } from '../../functions/detector/glob';
import { compileKeyPatterns } from '../../functions/detector/patterns';
import { PrincipalMatcher } from '../../functions/detector/principals';
import { identities } from './records';

/** What a glob means, written as the regular expression it reads as (fine for the short texts below). */
function reference(glob: string, anchored = true): RegExp {
  const source = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(anchored ? `^(?:${source})$` : source, 'is');
}

describe('glob matching', () => {
  it('agrees with the regular-expression reading of globs on every short text over a small alphabet', () => {
    const globs = ['*', '?', 'a*', '*a', '*a*', 'a?b', '*a*b', 'a*b*a', '*?a', 'ab*ba', '**a**', 'a*a', '?*?', '*ab*ab*', 'A*B', 'a/*', '*.c?v'];
    const alphabet = ['a', 'b', 'B', '/'];
    const texts = [''];
    for (let length = 1; length <= 5; length++) {
      for (const text of texts.filter((each) => each.length === length - 1)) texts.push(...alphabet.map((char) => text + char));
    }
    for (const glob of globs) {
      for (const anchored of [true, false]) {
        const matches = compileGlob(glob, anchored);
        const expected = reference(glob, anchored);
        for (const text of texts) expect([glob, anchored, text, matches(text)]).toEqual([glob, anchored, text, expected.test(text)]);
      }
    }
  });

  it('treats regular-expression characters in a glob as themselves', () => {
    expect(compileGlob('reports/(2026)+[q1].csv')('reports/(2026)+[q1].csv')).toBe(true);
    expect(compileGlob('reports/(2026)+[q1].csv')('reports/2026q1xcsv')).toBe(false);
    expect(compileGlob('a.b')('axb')).toBe(false);
  });

  it('compares case-insensitively without shifting positions for characters whose lower case is longer', () => {
    expect(compileGlob('İ?x')('İyX')).toBe(true);
    expect(foldCase('İA')).toBe('İa');
  });
});

/*
 * No timing is asserted (it would fail on a loaded machine, and bench/ measures speed): a backtracking matcher takes
 * minutes on these inputs, so a regression shows as these tests running past jest's timeout.
 */
describe('matching cost a caller controls', () => {
  // S3's longest key is 1,024 bytes; for a denied read the key is whatever the caller asked for.
  const key = 'a'.repeat(1024);

  it('judges *a*a*a*b against a 1,024-character key at once (a backtracking expression takes minutes)', () => {
    const sensitive = compileKeyPatterns(['*a*a*a*b', 'keyword:a*a*a*b', '*a?a*a?a*a?a*b']);
    expect(sensitive(key)).toBe(false);
    expect(sensitive(`${key}b`)).toBe(true);
  });

  it('judges principal patterns against long names at once', () => {
    const matcher = new PrincipalMatcher(['*a*a*a*b', 'arn:aws:iam::*a*a*a*b', '*a*a*a*b.amazonaws.com'], ['444444444444']);
    const session = 'a'.repeat(900);
    const role = {
      ...identities.apiRole,
      arn: `arn:aws:sts::444444444444:assumed-role/${'a'.repeat(64)}/${session}`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::444444444444:role/${'a'.repeat(64)}`, userName: 'a'.repeat(64) } },
    };
    expect(matcher.matchesIdentity(role)).toBe(false);
  });
});
