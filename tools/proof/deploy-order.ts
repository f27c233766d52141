/*
 * The order the stacks deploy in: log-archive (the bucket and key every log flow needs), management (the trail and
 * the delegated administrators), security (which adopts what the designations created), then the account stacks.
 */
const FIRST = ['log-archive', 'management', 'security'];

export function deployOrder(stackNames: readonly string[]): string[] {
  const first = FIRST.filter((name) => stackNames.includes(name));
  const accounts = stackNames.filter((name) => !FIRST.includes(name)).sort();
  return [...first, ...accounts];
}
