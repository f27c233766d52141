import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as z from 'zod';
import { crossFieldProblems } from './cross-checks';
import { duplicateKeyPaths } from './duplicate-keys';
import { organizationControlsProblems } from './organization-controls-checks';
import { withOrganizationAccounts } from './organization-accounts';
import { ConfigError, type ConfigProblem } from './problems';
import { type BaselineConfig, baselineConfigSchema } from './schema';
import { closest } from './suggest';

/** The configuration that ships with the product, used when BASELINE_CONFIG is not set. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, 'example.json');

/**
 * The configuration file a command uses: BASELINE_CONFIG, resolved from the directory the user ran the command in
 * (npm runs scripts from the project root and records the user's directory in INIT_CWD), or the shipped example.
 */
export function configPathFromEnvironment(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.BASELINE_CONFIG;
  if (!given) return EXAMPLE_CONFIG_PATH;
  return path.resolve(env.INIT_CWD || process.cwd(), given);
}

/** How a configuration is read besides its own document. */
export interface ParseOptions {
  /** Where files the configuration names (accounts.fromOrganization.file) are found. @default - the working directory */
  readonly baseDirectory?: string;
  /** Where notes go (accounts left out of the organization's list, names made unique). @default - standard error */
  readonly report?: (note: string) => void;
}

const toStandardError = (note: string) => process.stderr.write(`note: ${note}\n`);

/** Reads, parses and validates a configuration file; throws a ConfigError listing every problem. */
export function loadConfigFile(file: string, options: Pick<ParseOptions, 'report'> = {}): BaselineConfig {
  const parseOptions: ParseOptions = { baseDirectory: path.dirname(path.resolve(file)), report: options.report };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError(file, [{ path: [], value: file, expected: `expected a readable JSON file (${reason})` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [
      { path: [], value: undefined, expected: `expected valid JSON: ${describeJsonError(text, error as Error)}` },
    ]);
  }
  // JSON.parse keeps the last of two equal keys: a setting written twice is a mistake to show, not to resolve. A key
  // written three times is one mistake, said once.
  const duplicates: ConfigProblem[] = onePerPlace(duplicateKeyPaths(text).map((keyPath) => ({
    path: keyPath,
    value: valueAt(raw, keyPath),
    expected: 'expected each key once in its object; this key appears again above (only one of them can be meant)',
  })));
  if (duplicates.length === 0) return parseConfig(raw, file, parseOptions);
  try {
    parseConfig(raw, file, { ...parseOptions, report: () => {} });
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(file, [...duplicates, ...error.problems]);
    throw error;
  }
  throw new ConfigError(file, duplicates);
}

/** Validates an already parsed configuration document. */
export function parseConfig(document: unknown, source = 'configuration', options: ParseOptions = {}): BaselineConfig {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError(source, [{ path: [], value: document, expected: 'expected a JSON object' }]);
  }
  // Member accounts read from the organization's account list join accounts.members before anything is checked.
  const organization = withOrganizationAccounts(document as Record<string, unknown>, { baseDirectory: options.baseDirectory });
  const raw = organization.raw;
  const result = baselineConfigSchema.safeParse(raw, { reportInput: true });
  const problems = [...organization.problems, ...(result.success ? [] : result.error.issues.flatMap((issue) => toProblems(issue, raw)))];
  problems.push(...crossFieldProblems(raw));
  if (result.success) problems.push(...organizationControlsProblems(result.data));
  if (problems.length > 0 || !result.success) throw new ConfigError(source, onePerPlace(problems));
  organization.notes.forEach(options.report ?? toStandardError);
  return result.data;
}

/** Each problem once: two checks that find the same thing at the same place say it once. */
function onePerPlace(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const identity = JSON.stringify([problem.path, problem.expected]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

function toProblems(issue: z.core.$ZodIssue, document: unknown): ConfigProblem[] {
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(document, path) as Record<string, unknown>;
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const suggestion = closest(key, known);
      const hint = suggestion ? `did you mean "${suggestion}"?` : `expected one of: ${known.join(', ')}`;
      return { path: [...path, key], value: parent?.[key], expected: `unknown key; ${hint}` };
    });
  }
  if (issue.code === 'invalid_key') {
    // A record's key is wrong: show the key, and the key's own problem.
    const key = path[path.length - 1];
    return issue.issues.slice(0, 1).map((inner) => ({ path, value: key, expected: inProductWords(inner) }));
  }
  const value = valueAt(document, path);
  let expected = inProductWords(issue);
  if (issue.code === 'invalid_value' && typeof value === 'string') {
    const suggestion = closest(
      value,
      issue.values.map((option) => String(option)),
    );
    if (suggestion) expected += `; did you mean "${suggestion}"?`;
  }
  if (value === undefined && issue.code === 'invalid_type') expected = `missing; ${expected.replace(/, received undefined$/, '')}`;
  return [{ path, value, expected }];
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text in quotes',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [...]',
  object: 'an object {...}',
  record: 'an object {...}',
};

/**
 * The problem in the product's words: the schema's own messages ("expected ...") are kept, and the schema library's
 * generic ones ("Too small: expected number to be >=1") are rewritten from the issue's facts.
 */
export function inProductWords(issue: z.core.$ZodIssue): string {
  if (issue.message.startsWith('expected')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const inclusive = issue.inclusive !== false;
      const limit = issue.code === 'too_small' ? (inclusive ? bound : bound + 1) : inclusive ? bound : bound - 1;
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'string') return limit === 1 && issue.code === 'too_small' ? 'expected text that is not empty' : `expected ${word} ${limit} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `expected ${word} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
      return `expected ${word} ${limit}`;
    }
    case 'invalid_value':
      return `expected one of: ${issue.values.map((option) => JSON.stringify(option)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'expected a value in the documented form (see the configuration reference)' : `expected ${issue.format === 'email' ? 'an email address' : issue.format === 'url' ? 'a URL' : `a value in ${issue.format} format`}`;
    default:
      return 'expected a value in the documented form (see the configuration reference)';
  }
}

function valueAt(document: unknown, path: readonly (string | number)[]): unknown {
  let node = document;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[part];
  }
  return node;
}

/** The keys the schema allows at a path, found by walking the schema's object shapes. */
function knownKeys(path: readonly (string | number)[]): string[] {
  let schema: z.core.$ZodType | undefined = baselineConfigSchema;
  for (const part of path) {
    schema = schema && childSchema(unwrap(schema), part);
  }
  return schema ? shapeKeys(schema) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { innerType?: z.core.$ZodType };
    if (!def.innerType) return current;
    current = def.innerType;
  }
}

function childSchema(schema: z.core.$ZodType, part: string | number): z.core.$ZodType | undefined {
  const def = schema._zod.def as {
    shape?: Record<string, z.core.$ZodType>;
    element?: z.core.$ZodType;
    valueType?: z.core.$ZodType;
  };
  if (typeof part === 'number') return def.element;
  return def.shape?.[part] ?? def.valueType;
}

/** A discriminated union's keys are those of all its options. */
function shapeKeys(schema: z.core.$ZodType): string[] {
  const def = unwrap(schema)._zod.def as { shape?: Record<string, unknown>; options?: z.core.$ZodType[] };
  if (def.shape) return Object.keys(def.shape);
  return [...new Set((def.options ?? []).flatMap(shapeKeys))];
}

function describeJsonError(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  // Node quotes the whole document in some messages; the position, when given, says more.
  if (!match) return error.message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').replace(/\n/g, '\\n');
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}
