/*
 * The SQL dialect the hunts are written in: the part of Athena's (Trino's) SQL that DuckDB, which the tests run them
 * with, reads the same way. Where the two engines differ on an edge, the helpers here write the form both agree on:
 * - `split_part` beyond the last field is NULL in Trino and '' in DuckDB: always read through COALESCE(…, '').
 * - `regexp_extract` without a match is NULL in Trino and '' in DuckDB: always read through NULLIF(…, '') (every
 *   group the hunts extract is non-empty when it matches).
 * - Regular expressions: Trino's default engine (Joni) reads `^` and `$` at every line, RE2 (DuckDB) and JavaScript at
 *   the ends of the text only, and `.` differs on line breaks: patterns are written with `\A`, `\z` and classes.
 * - Integer division, array subscripts (an error past the end in Trino) and casts that can fail are not used.
 * The tests give DuckDB four of Trino's functions with Trino's meaning (json_extract_scalar, regexp_like, cardinality,
 * element_at), and check every generated query against PORTABLE_FUNCTIONS and the regular-expression subset below.
 * https://trino.io/docs/current/functions/string.html, https://trino.io/docs/current/functions/regexp.html
 */

/** A SQL string literal. */
export const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The functions generated SQL may call: each reads the same in Trino and DuckDB (or has a shim in the tests). */
export const PORTABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'cardinality',
  'cast',
  'chr',
  'coalesce',
  'element_at',
  'filter',
  'json_extract_scalar',
  'length',
  'lower',
  'lpad',
  'nullif',
  'regexp_extract',
  'regexp_like',
  'replace',
  'split_part',
  'strpos',
  'substr',
  'try_cast',
]);

/** `text` with LIKE's own characters escaped (the escape character is `\`). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A LIKE condition: `expression LIKE 'pattern' ESCAPE '\'`. */
export const like = (expression: string, pattern: string): string => `${expression} LIKE ${sqlString(pattern)} ESCAPE '\\'`;

/** A glob (`*` any run of characters, `?` exactly one) as a LIKE pattern. */
export function globLikePattern(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.split('?').map(likeLiteral).join('_'))
    .join('%');
}

/** `expression IN (values)`, or FALSE for no values (an empty IN list is not SQL). */
export function inList(expression: string, values: readonly string[]): string {
  return values.length === 0 ? 'FALSE' : `${expression} IN (${values.map(sqlString).join(', ')})`;
}

/** OR of conditions, FALSE for none; constant operands folded, so that a list the configuration leaves empty costs nothing. */
export function anyOf(conditions: readonly string[]): string {
  if (conditions.includes('TRUE')) return 'TRUE';
  const left = conditions.filter((condition) => condition !== 'FALSE');
  return left.length === 0 ? 'FALSE' : left.length === 1 ? left[0] : `(${left.join(' OR ')})`;
}

/** AND of conditions, TRUE for none; constant operands folded. */
export function allOf(conditions: readonly string[]): string {
  if (conditions.includes('FALSE')) return 'FALSE';
  const left = conditions.filter((condition) => condition !== 'TRUE');
  return left.length === 0 ? 'TRUE' : left.length === 1 ? left[0] : `(${left.join(' AND ')})`;
}

/** A condition that is FALSE where SQL would say NULL (absent fields), as the detector's `typeof` tests do. */
export const holds = (condition: string): string => (condition === 'TRUE' || condition === 'FALSE' ? condition : `COALESCE(${condition}, FALSE)`);

/** The `index`th field (from 1) of `expression` split at `delimiter`, '' past the last one in both engines. */
export const splitPart = (expression: string, delimiter: string, index: number | string): string =>
  `COALESCE(split_part(${expression}, ${sqlString(delimiter)}, ${index}), '')`;

/**
 * An index or length that is never below `minimum`: Trino refuses a split_part index below 1, and no engine is held to
 * evaluate AND and CASE in the order written, so a guard beside the call does not keep a bad argument from it.
 */
export const atLeast = (expression: string, minimum: number): string =>
  /^\d+$/.test(expression) && Number(expression) >= minimum ? expression : `CASE WHEN ${expression} > ${minimum} THEN ${expression} ELSE ${minimum} END`;

/** Whether `expression` has `text` at its start (starts_with is not in Athena's engine version 2). */
export const startsWith = (expression: string, text: string): string => `substr(${expression}, 1, ${text.length}) = ${sqlString(text)}`;

/** How many times the character occurs in the text. */
export const occurrences = (expression: string, character: string): string =>
  `(length(${expression}) - length(replace(${expression}, ${sqlString(character)}, '')))`;

/** Thrown when a regular expression uses something the two engines could read differently. */
export class NonPortableRegexError extends Error {
  constructor(source: string, reason: string) {
    super(`/${source}/: ${reason}`);
    this.name = 'NonPortableRegexError';
  }
}

/**
 * A JavaScript regular expression as a regular expression Trino (Joni) and DuckDB (RE2) read as JavaScript does:
 * `^` and `$` become `\A` and `\z`, `\d` becomes `[0-9]`, `\/` becomes `/`. Anything outside the subset the three
 * engines agree on (literals, escaped punctuation, classes without escapes other than `\d`, groups, `?:`, `|`, `*`,
 * `+`, `?`, `{m,n}`) is refused, and so are flags other than `s` (which only changes `.`, itself refused).
 */
export function portableRegex(pattern: RegExp): string {
  const source = pattern.source;
  if (pattern.flags.replace('s', '') !== '') throw new NonPortableRegexError(source, `flags "${pattern.flags}"`);
  let out = '';
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index];
    if (character === '\\') {
      const next = source[++index];
      if (next === 'd') out += inClass ? '0-9' : '[0-9]';
      else if (next !== undefined && /[.\\/()[\]{}*+?|^$-]/.test(next)) out += next === '/' ? '/' : `\\${next}`;
      else throw new NonPortableRegexError(source, `the escape \\${next}`);
    } else if (inClass) {
      if (character === ']') inClass = false;
      out += character;
    } else if (character === '[') {
      inClass = true;
      out += character;
    } else if (character === '^') {
      if (index !== 0) throw new NonPortableRegexError(source, '^ other than at the start');
      out += '\\A';
    } else if (character === '$') {
      if (index !== source.length - 1) throw new NonPortableRegexError(source, '$ other than at the end');
      out += '\\z';
    } else if (character === '.') {
      throw new NonPortableRegexError(source, '"." (engines differ on line breaks)');
    } else if (character === '(' && source[index + 1] === '?' && source[index + 2] !== ':') {
      throw new NonPortableRegexError(source, 'lookaround or inline flags');
    } else {
      out += character;
    }
  }
  return out;
}

/** `regexp_like(expression, pattern)` for a JavaScript pattern, in the portable subset. */
export const regexpLike = (expression: string, pattern: RegExp): string => `regexp_like(${expression}, ${sqlString(portableRegex(pattern))})`;

/** A capture group of the first match, NULL when there is none (in both engines). */
export const regexpGroup = (expression: string, pattern: RegExp, group: number): string =>
  `NULLIF(regexp_extract(${expression}, ${sqlString(portableRegex(pattern))}, ${group}), '')`;
