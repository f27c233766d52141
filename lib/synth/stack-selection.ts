import { closest } from '../../config/suggest';

/*
 * `--stack <pattern>`: which stacks a synth builds. A pattern is a stack name, or a glob where `*` stands for any run
 * of characters and `?` for one (`account-*`). A pattern that matches no stack is a mistake (a typo would otherwise
 * synthesize nothing and let a CI job pass), named with the closest stack.
 */

/** A pattern that selects nothing. */
export class StackSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackSelectionError';
  }
}

function globToRegExp(pattern: string): RegExp {
  const source = [...pattern].map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}

/** The stacks the patterns select, in the order of `names`; every stack when there is no pattern. */
export function selectStacks(names: readonly string[], patterns: readonly string[]): string[] {
  if (patterns.length === 0) return [...names];
  const chosen = new Set<string>();
  for (const pattern of patterns) {
    const matcher = globToRegExp(pattern);
    const matched = names.filter((name) => matcher.test(name));
    if (matched.length === 0) {
      const near = closest(pattern, names);
      throw new StackSelectionError(
        `--stack ${pattern}: no stack of the configuration has that name${near ? `; did you mean ${near}?` : ''} (npm run synth -- --list prints them)`,
      );
    }
    for (const name of matched) chosen.add(name);
  }
  return names.filter((name) => chosen.has(name));
}
