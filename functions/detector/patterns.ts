import { compileGlobList } from './glob';

/*
 * Key patterns (principal patterns are ./principals.ts). `*` matches any run of characters including "/" and `?`
 * exactly one, as in IAM policy
 * resources; everything else is literal; case-insensitive. Matched by ./glob.ts in time linear in the text: the text
 * is often the caller's choice (the key of a denied read), so no pattern may cost more than a pass over it per
 * pattern character. Our own few lines rather than picomatch: its path semantics ("*" stops at "/") are not IAM's.
 */

const KEYWORD = 'keyword:';

/** A matcher for object keys: globs match the whole key, `keyword:<word>` anywhere in it; case-insensitive. */
export function compileKeyPatterns(patterns: readonly string[]): (key: string) => boolean {
  const globs = patterns.filter((pattern) => !pattern.startsWith(KEYWORD));
  const keywords = patterns.filter((pattern) => pattern.startsWith(KEYWORD)).map((pattern) => pattern.slice(KEYWORD.length));
  return compileGlobList(globs, keywords) ?? (() => false);
}
