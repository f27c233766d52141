import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile, parseConfig } from '../../config/load';
import { ConfigError, type ConfigProblem } from '../../config/problems';
import { exampleInput } from '../helpers';

function problemsOf(run: () => unknown): ConfigProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

function problemsWith(change: (input: Record<string, any>) => void): ConfigProblem[] {
  const input = exampleInput() as Record<string, any>;
  change(input);
  return problemsOf(() => parseConfig(input));
}

const pathOf = (problem: ConfigProblem) => problem.path.join('.');

describe('the shipped example configuration', () => {
  it('is valid and fills every default with the hardened choice', () => {
    const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
    expect(config.regions.enabled.length).toBeGreaterThanOrEqual(3);
    expect(config.accounts.members).toHaveLength(2);
    expect(config.notifications.emails.length).toBeGreaterThan(0);
    expect(config.detector.monitoredBuckets).toHaveLength(1);
    expect(config.guardrails.protectBaseline).toBe(true);
    expect(config.guardrails.dataPerimeter.enabled).toBe(false);
    expect(config.trail.cloudWatchLogsRetentionDays).toBeGreaterThanOrEqual(365);
    expect(config.accountBaseline.passwordPolicy).toEqual({ minimumLength: 14, reusePrevention: 24, maxAgeDays: 90 });
    expect(config.deployment.backend).toEqual({ type: 'local' });
  });
});

describe('configuration errors', () => {
  it('reports a missing file with its path', () => {
    const file = path.join(os.tmpdir(), 'no-such-baseline.json');
    const [problem] = problemsOf(() => loadConfigFile(file));
    expect(problem.value).toBe(file);
    expect(problem.expected).toMatch(/no such file/);
  });

  it('reports invalid JSON', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-config-'));
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "prefix": "acme", }');
    const problems = problemsOf(() => loadConfigFile(file));
    expect(problems).toHaveLength(1);
    expect(problems[0].expected).toMatch(/^expected valid JSON/);
  });

  it('rejects a 13-digit account id, naming the path and the value', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[0].id = '4444444444445';
    });
    expect(problems).toEqual([
      { path: ['accounts', 'members', 0, 'id'], value: '4444444444445', expected: 'expected exactly 12 digits' },
    ]);
  });

  it('rejects duplicate account ids', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[1].id = input.accounts.members[0].id;
    });
    expect(problems.map(pathOf)).toEqual(['accounts.members.1.id']);
    expect(problems[0].expected).toMatch(/no other account has/);
  });

  it('rejects an unknown region and suggests the closest', () => {
    const problems = problemsWith((input) => {
      input.regions.enabled[1] = 'eu-centrl-1';
    });
    expect(problems.map(pathOf)).toEqual(['regions.enabled.1']);
    expect(problems[0].value).toBe('eu-centrl-1');
    expect(problems[0].expected).toMatch(/did you mean "eu-central-1"/);
  });

  it('rejects a home region that is not enabled', () => {
    const problems = problemsWith((input) => {
      input.regions.home = 'us-west-2';
    });
    expect(problems.map(pathOf)).toEqual(['regions.home']);
    expect(problems[0].expected).toMatch(/one of the enabled regions/);
  });

  it('rejects an unknown key with "did you mean"', () => {
    const problems = problemsWith((input) => {
      input.regions.enabeld = input.regions.enabled;
    });
    expect(problems).toEqual([
      expect.objectContaining({ path: ['regions', 'enabeld'], expected: 'unknown key; did you mean "enabled"?' }),
    ]);
  });

  it('reports every problem at once, shape and cross-field rules together', () => {
    const problems = problemsWith((input) => {
      input.prefix = 'Acme';
      input.accounts.security.id = input.accounts.logArchive.id;
      input.regions.home = 'ap-south-1';
      input.notifications.emails = ['not-an-email'];
      input.detector.authorizedCidrs = ['10.0.0.0/33'];
      input.detector.monitoredBuckets[0].account = 'nobody';
    });
    expect(problems.map(pathOf).sort()).toEqual(
      [
        'prefix',
        'accounts.security.id',
        'regions.home',
        'notifications.emails.0',
        'detector.authorizedCidrs.0',
        'detector.monitoredBuckets.0.account',
      ].sort(),
    );
  });

  it('rejects names that the AWS resources they name would refuse', () => {
    const problems = problemsWith((input) => {
      input.accounts.members[0].name = 'Workload_Prod';
      input.detector.monitoredBuckets[0].name = 'Bad..Bucket';
    });
    expect(problems.map(pathOf).sort()).toEqual(['accounts.members.0.name', 'detector.monitoredBuckets.0.name']);
  });

  it('formats each problem as path, value and expectation', () => {
    const input = exampleInput() as Record<string, any>;
    input.accounts.members[0].id = '12345';
    expect(() => parseConfig(input, 'my.json')).toThrow(
      'Configuration my.json has 1 problem:\n  - accounts.members[0].id: got "12345"; expected exactly 12 digits',
    );
  });
});
