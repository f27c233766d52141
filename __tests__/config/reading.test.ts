import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { duplicateKeyPaths } from '../../config/duplicate-keys';
import { configPathFromEnvironment, EXAMPLE_CONFIG_PATH, loadConfigFile, parseConfig } from '../../config/load';
import { ConfigError, formatPath, formatProblems, formatValue } from '../../config/problems';
import { closest, editDistance } from '../../config/suggest';
import { exampleInput, problemsOf } from './example-input';

/*
 * Reading a configuration: the file, the JSON, where it is, and how problems are worded.
 */


describe('where the configuration is', () => {
  it('is BASELINE_CONFIG from the directory the command was typed in, or the example', () => {
    expect(configPathFromEnvironment({ BASELINE_CONFIG: 'org.json', INIT_CWD: '/home/me/acme' })).toBe('/home/me/acme/org.json');
    expect(configPathFromEnvironment({ BASELINE_CONFIG: '/etc/org.json', INIT_CWD: '/home/me' })).toBe('/etc/org.json');
    expect(configPathFromEnvironment({ BASELINE_CONFIG: 'org.json' })).toBe(path.join(process.cwd(), 'org.json'));
    expect(configPathFromEnvironment({ BASELINE_CONFIG: '', INIT_CWD: '/home/me' })).toBe(EXAMPLE_CONFIG_PATH);
    expect(configPathFromEnvironment({})).toBe(EXAMPLE_CONFIG_PATH);
  });
});

describe('reading the file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says where invalid JSON breaks, by line and column', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{\n  "prefix": "acme",\n}');
    const [problem] = problemsOf(() => loadConfigFile(file));
    expect(problem.path).toEqual([]);
    expect(problem.expected).toMatch(/^expected valid JSON: .* at line 3, column 1$/);
    // Without a position, the message still leaves the document out.
    writeFileSync(file, '{\n  "prefix": "acme",\n  "x": tru\n}');
    const [unquoted] = problemsOf(() => loadConfigFile(file));
    expect(unquoted.expected).toBe("expected valid JSON: Unexpected token '\\n'");
  });

  it('says a directory is not a readable file, and a document that is not an object', () => {
    const sub = path.join(dir, 'a-directory');
    mkdirSync(sub);
    const [unreadable] = problemsOf(() => loadConfigFile(sub));
    expect(unreadable.expected).toMatch(/^expected a readable JSON file \(.*EISDIR/);
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[1]');
    expect(problemsOf(() => loadConfigFile(list))).toEqual([{ path: [], value: [1], expected: 'expected a JSON object' }]);
    expect(problemsOf(() => parseConfig(null))).toEqual([{ path: [], value: null, expected: 'expected a JSON object' }]);
  });

  it('reads a valid file, and names the file in the message of an invalid one', () => {
    const file = path.join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(exampleInput()));
    expect(loadConfigFile(file).prefix).toBe('acme');
    writeFileSync(file, JSON.stringify({ ...exampleInput(), prefix: 'Acme' }));
    expect(() => loadConfigFile(file)).toThrow(`Configuration ${file} has 1 problem:`);
  });
});

describe('duplicate keys', () => {
  it('finds each repeated key with its path, through arrays, escapes and every kind of value', () => {
    expect(duplicateKeyPaths('{"a":1,"a":2}')).toEqual([['a']]);
    expect(duplicateKeyPaths('{"a":{"b":1,"c":[1,{"d":1,"d":2}],"b":3}}')).toEqual([['a', 'c', 1, 'd'], ['a', 'b']]);
    expect(duplicateKeyPaths('[{"x":1},{"x":2,"y":"a\\"b","y":1}]')).toEqual([[1, 'y']]);
    expect(duplicateKeyPaths('{"a\\u0062":1,"ab":2}')).toEqual([['ab']]);
    expect(duplicateKeyPaths('{"k":[true,false,null,-1.5e3,"s",[],{},{"z":1,"z":2}]}')).toEqual([['k', 7, 'z']]);
    expect(duplicateKeyPaths('{"k":"{\\"z\\":1,\\"z\\":2}","q":"\\\\"}')).toEqual([]);
    expect(duplicateKeyPaths(' { "a" : 1 , "b" : { "a" : 2 } , "c" : [ { "a" : 1 } , { "a" : 2 } ] } ')).toEqual([]);
    expect(duplicateKeyPaths('{"a":1,"a":2,"a":3}')).toEqual([['a'], ['a']]);
    // A document that is one scalar ends inside the scan of that scalar.
    expect(duplicateKeyPaths('-1.5e3')).toEqual([]);
    expect(duplicateKeyPaths('true')).toEqual([]);
  });
});

describe('the words of a problem', () => {
  it('writes paths as a reader would', () => {
    expect(formatPath([])).toBe('(document)');
    expect(formatPath(['accounts', 'members', 0, 'id'])).toBe('accounts.members[0].id');
    expect(formatPath(['deployment', 'tags', 'cost center'])).toBe('deployment.tags["cost center"]');
    expect(formatPath(['deployment', 'profiles', 'workload-prod'])).toBe('deployment.profiles.workload-prod');
    expect(formatPath(['$schema'])).toBe('$schema');
    expect(formatPath(['1st'])).toBe('["1st"]');
  });

  it('shows values short', () => {
    expect(formatValue(undefined)).toBe('nothing');
    expect(formatValue('x')).toBe('"x"');
    expect(formatValue('y'.repeat(78))).toBe(`"${'y'.repeat(78)}"`);
    expect(formatValue('y'.repeat(79))).toBe(`"${'y'.repeat(76)}...`);
  });

  it('is a ConfigError, by name', () => {
    expect(new ConfigError('a.json', []).name).toBe('ConfigError');
  });

  it('counts problems', () => {
    const one = { path: ['prefix'], value: 'A', expected: 'expected lower case' };
    expect(formatProblems('a.json', [one])).toBe('Configuration a.json has 1 problem:\n  - prefix: got "A"; expected lower case');
    expect(formatProblems('a.json', [one, one])).toMatch(/^Configuration a.json has 2 problems:\n/);
  });

  it('suggests the closest word only when it is close', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('enabld', ['enabled', 'home'])).toBe('enabled');
    expect(closest('ENABLED', ['enabled'])).toBe('enabled');
    expect(closest('xyz', ['enabled', 'home'])).toBeUndefined();
    // On a tie, the first candidate (the schema's order) wins.
    expect(closest('ab', ['ac', 'ad'])).toBe('ac');
    // The limit grows with the word: two edits for short words, a third of the length for long ones.
    expect(closest('ab', ['abcd'])).toBe('abcd');
    expect(closest('ab', ['abcde'])).toBeUndefined();
    expect(closest('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz');
    expect(closest('abcdefghi', ['abcdewxyz'])).toBeUndefined();
  });

  it('lists the known keys when no key is close, and suggests an enum value that is', () => {
    const input = exampleInput() as Record<string, any>;
    input.trail = { qqqqqqqq: true, mode: 'ful' };
    const problems = problemsOf(() => parseConfig(input));
    expect(problems).toEqual([
      { path: ['trail', 'mode'], value: 'ful', expected: 'expected one of: "full", "data-events-only"; did you mean "full"?' },
      { path: ['trail', 'qqqqqqqq'], value: true, expected: 'unknown key; expected one of: mode, cloudWatchLogsRetentionDays, lambdaDataEvents, insights, networkActivityEvents' },
    ]);
  });

  it('names the keys of every option of a union, and the keys of a list\'s entries', () => {
    const input = exampleInput() as Record<string, any>;
    input.deployment = { backend: { type: 's3', bucket: 'acme-state', region: 'eu-west-1', bukcet: 'x' } };
    input.detector.monitoredBuckets[0].acount = 'x';
    expect(problemsOf(() => parseConfig(input)).map((problem) => [problem.path.join('.'), problem.expected])).toEqual([
      ['detector.monitoredBuckets.0.acount', 'unknown key; did you mean "account"?'],
      ['deployment.backend.bukcet', 'unknown key; did you mean "bucket"?'],
    ]);
  });

  it('says each problem once, and words the limits of lists and text', () => {
    const input = exampleInput() as Record<string, any>;
    input.regions.enabled = [];
    input.accountBaseline = { imdsHopLimit: 0.5 };
    input.logArchive = { readerRoleArns: 'arn' };
    const problems = problemsOf(() => parseConfig(input));
    expect(problems.map((problem) => `${problem.path.join('.')}: ${problem.expected}`)).toEqual([
      'regions.enabled: expected at least one enabled region',
      'logArchive.readerRoleArns: expected a list [...]',
      'accountBaseline.imdsHopLimit: expected a whole number',
    ]);
    const identities = problems.map((problem) => JSON.stringify([problem.path, problem.expected]));
    expect(new Set(identities).size).toBe(identities.length);
  });
});

describe('the product\'s words for each kind of problem', () => {
  const summary = (problems: { path: readonly (string | number)[]; value: unknown; expected: string }[]) =>
    problems.map((problem) => `${problem.path.join('.')}: ${JSON.stringify(problem.value)}: ${problem.expected}`);

  it('calls a document given without a file name "configuration"', () => {
    expect(() => parseConfig([])).toThrow('Configuration configuration has 1 problem:\n  - (document): got []; expected a JSON object');
  });

  it('says a document that is text or a number is not an object', () => {
    expect(problemsOf(() => parseConfig('acme'))).toEqual([{ path: [], value: 'acme', expected: 'expected a JSON object' }]);
    expect(problemsOf(() => parseConfig(42))).toEqual([{ path: [], value: 42, expected: 'expected a JSON object' }]);
  });

  it('names objects, records, choices with no close option, and unions', () => {
    const input = exampleInput() as Record<string, any>;
    input.trail = 'full';
    input.deployment = { profiles: 'x' };
    input.flowLogs = { maxAggregationIntervalSeconds: 30, trafficType: 7 };
    input.securityServices = { findingsSeverityThreshold: 'SEVERE' };
    expect(summary(problemsOf(() => parseConfig(input)))).toEqual([
      'trail: "full": expected an object {...}',
      'flowLogs.trafficType: 7: expected one of: "ALL", "ACCEPT", "REJECT"',
      'flowLogs.maxAggregationIntervalSeconds: 30: expected a value in the documented form (see the configuration reference)',
      'securityServices.findingsSeverityThreshold: "SEVERE": expected LOW, MEDIUM, HIGH or CRITICAL',
      'deployment.profiles: "x": expected an object {...}',
    ]);
  });

  it('words the limits of text and lists', () => {
    const input = exampleInput() as Record<string, any>;
    input.monitoring = { alarms: { 'vpc-changes': { exclude: [{ selector: '$.a', value: '' }] } } };
    input.guardrails = { ec2DeclarativePolicy: { exceptionMessage: 'x'.repeat(1025) } };
    input.securityServices = {
      guardDuty: { s3MalwareProtection: { buckets: [{ name: 'acme-up', account: 'security', region: 'eu-west-1', prefixes: ['a', 'b', 'c', 'd', 'e', 'f'] }] } },
    };
    expect(problemsOf(() => parseConfig(input)).map((problem) => `${problem.path.join('.')}: ${problem.expected}`)).toEqual([
      'monitoring.alarms.vpc-changes.exclude.0.value: expected text that is not empty',
      'guardrails.ec2DeclarativePolicy.exceptionMessage: expected at most 1024 characters',
      'securityServices.guardDuty.s3MalwareProtection.buckets.0.prefixes: expected at most 5 entries',
    ]);
  });
});

describe('where invalid JSON breaks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const jsonProblem = (text: string) => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, text);
    return problemsOf(() => loadConfigFile(file)).map((problem) => problem.expected);
  };

  it('replaces the position with the line and column', () => {
    expect(jsonProblem('{\n  "prefix": "acme",\n}')).toEqual(['expected valid JSON: Expected double-quoted property name at line 3, column 1']);
    expect(jsonProblem('{"a":1')).toEqual(["expected valid JSON: Expected ',' or '}' after property value at line 1, column 7"]);
  });

  it('leaves out the document quoted in the message, whole or cut', () => {
    expect(jsonProblem(`{"a": "${'x'.repeat(100)}", "b": tru\n, "c": "${'y'.repeat(100)}"}`)).toEqual(["expected valid JSON: Unexpected token '\\n'"]);
    expect(jsonProblem('')).toEqual(['expected valid JSON: Unexpected end of JSON input']);
    expect(jsonProblem('{"x": tru\n}')).toEqual(["expected valid JSON: Unexpected token '\\n'"]);
  });

  it('counts lines up to the error only', () => {
    expect(jsonProblem('{"a":1 "b":2,\n"c":3}')).toEqual(["expected valid JSON: Expected ',' or '}' after property value at line 1, column 8"]);
  });
});

describe('the keys of a union', () => {
  it('are listed once each when no key is close', () => {
    const input = exampleInput() as Record<string, any>;
    input.deployment = { backend: { type: 's3', bucket: 'acme-state', region: 'eu-west-1', zzzzzzzz: 1 } };
    expect(problemsOf(() => parseConfig(input)).map((problem) => problem.expected)).toEqual([
      'unknown key; expected one of: type, bucket, region, keyPrefix, kmsKeyId, roleArn',
    ]);
  });
});
