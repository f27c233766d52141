import { parseConfig } from '../../config/load';
import type { ConfigError } from '../../config/problems';
import { exampleInput } from '../helpers';

/* The management-account workload alarm's settings, checked when the configuration is loaded. */

function problemsWith(change: (input: Record<string, any>) => void) {
  const input = exampleInput() as Record<string, any>;
  change(input);
  try {
    parseConfig(input);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('monitoring.managementAccountWorkloads', () => {
  it('is on by default, with no exclusions', () => {
    expect(parseConfig(exampleInput()).monitoring.managementAccountWorkloads).toEqual({ enabled: true, exclude: [] });
  });

  it('accepts a few exclusions', () => {
    const exclude = [{ selector: '$.userIdentity.sessionContext.sessionIssuer.userName', value: 'acme-image-builder' }];
    expect(problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude } }))).toEqual([]);
  });

  it('rejects exclusions that would make a filter pattern longer than CloudWatch Logs accepts, naming the path', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({
      selector: '$.userIdentity.sessionContext.sessionIssuer.arn',
      value: `arn:aws:iam::444444444444:role/acme-automation-${index}`,
    }));
    const problems = problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { exclude } }));
    expect(problems.map((problem) => problem.path.join('.'))).toEqual(['monitoring.managementAccountWorkloads.exclude']);
    expect(problems[0].expected).toMatch(/^expected fewer or shorter exclusions: .*at most 1024/);
  });

  it('does not check exclusions of a disabled alarm', () => {
    const exclude = Array.from({ length: 12 }, (_, index) => ({ selector: '$.userIdentity.arn', value: `x${index}${'y'.repeat(60)}` }));
    expect(problemsWith((input) => (input.monitoring = { managementAccountWorkloads: { enabled: false, exclude } }))).toEqual([]);
  });
});
