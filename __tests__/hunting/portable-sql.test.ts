import { huntRules, huntSql, parameterizedHuntSql } from '../../lib/hunting/hunt-queries';
import { ORGANIZATION_ACCOUNTS_TABLE } from '../../lib/hunting/detector-rules/organization-sql';
import { NonPortableRegexError, PORTABLE_FUNCTIONS, portableRegex } from '../../lib/hunting/portable-sql';
import { exampleConfig } from '../helpers';
import { huntingConfig } from './detector-corpus';

/*
 * The guard on the dialect: every query the baseline generates keeps to what Trino (Athena) and DuckDB (the parity
 * tests) read the same way. Read from the SQL text itself, so a new rule or helper cannot step outside unnoticed.
 */

/** The SQL with its comments removed, and each string literal as a token of its own. */
function tokenize(sql: string): { code: string; literals: string[] } {
  const literals: string[] = [];
  let code = '';
  for (let index = 0; index < sql.length; index++) {
    if (sql.startsWith('--', index)) {
      index = sql.indexOf('\n', index);
      if (index < 0) break;
      code += '\n';
    } else if (sql[index] === "'") {
      let text = '';
      for (index++; index < sql.length; index++) {
        if (sql[index] === "'" && sql[index + 1] === "'") {
          text += "'";
          index++;
        } else if (sql[index] === "'") break;
        else text += sql[index];
      }
      code += `'#${literals.length}'`;
      literals.push(text);
    } else code += sql[index];
  }
  return { code, literals };
}

/** The top-level arguments of every call of `name` in the tokenized code. */
function callArguments(code: string, name: string): string[][] {
  const calls: string[][] = [];
  const pattern = new RegExp(`\\b${name}\\(`, 'gi');
  for (let match = pattern.exec(code); match; match = pattern.exec(code)) {
    const args: string[] = [];
    let depth = 0;
    let current = '';
    for (let index = match.index + match[0].length; index < code.length; index++) {
      const character = code[index];
      if (character === '(') depth++;
      if (character === ')' && depth-- === 0) break;
      if (character === ',' && depth === 0) {
        args.push(current.trim());
        current = '';
      } else current += character;
    }
    args.push(current.trim());
    calls.push(args);
  }
  return calls;
}

/** Whether a regular expression keeps to the subset Joni, RE2 and JavaScript read alike. */
function portableSubset(regex: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < regex.length; index++) {
    const character = regex[index];
    if (character === '\\') {
      const next = regex[++index];
      if (!inClass && (next === 'A' || next === 'z')) continue;
      if (!/[.\\/()[\]{}*+?|^$-]/.test(next ?? '')) return `escape \\${next}`;
    } else if (inClass) {
      if (character === ']') inClass = false;
    } else if (character === '[') {
      inClass = true;
      if (regex[index + 1] === '^') index++;
    } else if (character === '^' || character === '$') return `line anchor ${character}`;
    else if (character === '.') return 'unescaped "."';
    else if (character === '(' && regex[index + 1] === '?' && regex[index + 2] !== ':') return 'lookaround or inline flags';
  }
  return undefined;
}

/** Words a "(" may follow that are no function: SQL's own, and the name of the organization's table with its columns. */
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'from', 'when', 'then', 'else', 'select', 'where', 'as', 'values', ORGANIZATION_ACCOUNTS_TABLE]);

const configs = [
  ['the example configuration', exampleConfig()],
  ['a configuration using every allow-list form', huntingConfig()],
] as const;
const queries = configs.flatMap(([label, config]) =>
  huntRules(config).flatMap((rule) => [
    [`${rule.id} (${label})`, huntSql('"db"."cloudtrail"', rule, { from: '2026-11-01', to: '2026-11-30', accounts: ['444444444444'], regions: ['eu-west-1'] })],
    [`${rule.id} saved (${label})`, parameterizedHuntSql('"db"."cloudtrail"', rule)],
  ]),
);

describe('the generated SQL keeps to what Trino and DuckDB read alike', () => {
  it.each(queries)('%s calls only portable functions', (_label, sql) => {
    const { code } = tokenize(sql);
    const called = [...code.matchAll(/\b([A-Za-z_]+)\s*\(/g)].map((match) => match[1].toLowerCase()).filter((name) => !KEYWORDS.has(name));
    expect(called.filter((name) => !PORTABLE_FUNCTIONS.has(name))).toEqual([]);
  });

  it.each(queries)('%s uses no subscripts, division, DuckDB casts or double-quoted identifiers but the table', (_label, sql) => {
    const { code } = tokenize(sql);
    expect(code).not.toMatch(/\[|\]|::|\/|%/);
    expect(code.replace('"db"."cloudtrail"', '')).not.toContain('"');
  });

  it.each(queries)('%s reads split_part and regexp_extract only through their guards', (_label, sql) => {
    const { code } = tokenize(sql);
    expect(code.match(/split_part\(/g)?.length ?? 0).toBe(code.match(/COALESCE\(split_part\(/g)?.length ?? 0);
    expect(code.match(/regexp_extract\(/g)?.length ?? 0).toBe(code.match(/NULLIF\(regexp_extract\(/g)?.length ?? 0);
  });

  it.each(queries)('%s gives split_part an index of at least 1 and substr no negative length, however it is evaluated', (_label, sql) => {
    const { code } = tokenize(sql);
    for (const [, , index] of callArguments(code, 'split_part')) expect(index).toMatch(/^(?:[1-9]\d*|CASE WHEN .* > 1 THEN .* ELSE 1 END)$/s);
    for (const args of callArguments(code, 'substr').filter((call) => call.length === 3)) expect(args[2]).toMatch(/^(?:\d+|CASE WHEN .* > 0 THEN .* ELSE 0 END)$/s);
  });

  it.each(queries)('%s writes every regular expression in the shared subset', (_label, sql) => {
    const { code, literals } = tokenize(sql);
    const patterns = ['regexp_like', 'regexp_extract'].flatMap((name) => callArguments(code, name).map((args) => args[1]));
    for (const argument of patterns) {
      expect(argument).toMatch(/^'#\d+'$/);
      const regex = literals[Number(argument.slice(2, -1))];
      expect([regex, portableSubset(regex)]).toEqual([regex, undefined]);
    }
  });

  it.each(queries)('%s writes every JSON path in the forms both engines read', (_label, sql) => {
    const { code, literals } = tokenize(sql);
    for (const [, argument] of callArguments(code, 'json_extract_scalar')) {
      expect(literals[Number(argument.slice(2, -1))]).toMatch(/^\$(?:(?:\.\w+)+|\["[\w-]+"\])?$/);
    }
  });

  it('is checked on queries that use regular expressions, JSON paths and lambdas', () => {
    const all = queries.map(([, sql]) => sql).join('\n');
    for (const used of ['regexp_like(', 'regexp_extract(', 'json_extract_scalar(', 'filter(resources, r ->', 'split_part(']) expect(all).toContain(used);
  });
});

describe('portableRegex', () => {
  it.each([
    [/^\d{12}$/, '\\A[0-9]{12}\\z'],
    [/:role\/aws-service-role\/([^/]+)\//, ':role/aws-service-role/([^/]+)/'],
    [/[:/](i-[0-9a-f]{8,17})$/, '[:/](i-[0-9a-f]{8,17})\\z'],
    [/^[\d.]+(?:x|y)?$/, '\\A[0-9.]+(?:x|y)?\\z'],
  ])('writes %s as %s', (pattern, expected) => {
    expect(portableRegex(pattern)).toBe(expected);
    expect(portableSubset(expected)).toBeUndefined();
  });

  it.each([
    ['a dot', /a.b/],
    ['a line anchor inside', /a$|b/],
    ['a lookahead', /a(?=b)/],
    ['a word class', /\w+/],
    ['a case-insensitive flag', /abc/i],
    ['a multiline flag', /^a$/m],
  ])('refuses %s', (_label, pattern) => {
    expect(() => portableRegex(pattern)).toThrow(NonPortableRegexError);
  });
});
