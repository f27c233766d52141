/*
 * The part of EventBridge's event pattern language the forwarding rules use (exact values, prefix, suffix, wildcard,
 * exists, anything-but, $or), so that tests can state which events a rule forwards instead of what its JSON says.
 * Written from the EventBridge User Guide ("Comparison operators for use in event patterns").
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Matcher = Json;

function wildcardRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function matchesString(matcher: { [key: string]: Json }, value: Json): boolean {
  if (typeof value !== 'string') return false;
  if ('prefix' in matcher) return value.startsWith(matcher.prefix as string);
  if ('suffix' in matcher) return value.endsWith(matcher.suffix as string);
  if ('wildcard' in matcher) return wildcardRegExp(matcher.wildcard as string).test(value);
  throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
}

/** Whether one present leaf value satisfies one matcher of a pattern's value list. */
function matchesLeaf(matcher: Matcher, value: Json): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  if (Array.isArray(matcher)) throw new Error('nested arrays are not patterns');
  if ('anything-but' in matcher) {
    const excluded = matcher['anything-but'];
    if (excluded !== null && typeof excluded === 'object' && !Array.isArray(excluded)) return !matchesString(excluded, value);
    return ![excluded].flat().includes(value);
  }
  return matchesString(matcher, value);
}

function matchesValue(matchers: Json, value: Json | undefined): boolean {
  if (!Array.isArray(matchers)) {
    if (matchers === null || typeof matchers !== 'object') throw new Error('a pattern value must be an array or an object');
    // An array of objects in the event matches when one of its objects does (EventBridge flattens arrays).
    if (Array.isArray(value)) return value.some((item) => item !== null && typeof item === 'object' && !Array.isArray(item) && matches(matchers, item));
    return value !== null && typeof value === 'object' && matches(matchers, value);
  }
  return matchers.some((matcher) => {
    if (matcher !== null && typeof matcher === 'object' && !Array.isArray(matcher) && 'exists' in matcher) {
      return (value !== undefined) === matcher.exists;
    }
    if (value === undefined) return false;
    return Array.isArray(value) ? value.some((item) => matchesLeaf(matcher, item)) : matchesLeaf(matcher, value);
  });
}

/** Whether an event matches an event pattern. */
export function matches(pattern: { [key: string]: Json }, event: { [key: string]: Json }): boolean {
  return Object.entries(pattern).every(([key, expected]) =>
    key === '$or'
      ? (expected as { [key: string]: Json }[]).some((branch) => matches(branch, event))
      : matchesValue(expected, event[key]),
  );
}
