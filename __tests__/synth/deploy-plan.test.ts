import { configWith, exampleConfig } from '../helpers';
import { DEPLOY_PLAN_FILE, deployPlan, formatDeployPlan, formatStackList, plannedStacks } from '../../lib/synth/deploy-plan';
import { StackSelectionError, selectStacks } from '../../lib/synth/stack-selection';

/* The deploy plan and the stack selection come from the configuration alone, without building a stack. */

describe('the deploy plan', () => {
  it('puts log-archive, management and security in waves 1 to 3 and every account stack in wave 4', () => {
    const plan = deployPlan(exampleConfig());
    expect(plan.waves).toEqual([
      ['log-archive'],
      ['management'],
      ['security'],
      ['account-management', 'account-log-archive', 'account-security', 'account-workload-prod', 'account-workload-dev'],
    ]);
    expect(plan.stacks.map((stack) => stack.wave)).toEqual([1, 2, 3, 4, 4, 4, 4, 4]);
    expect(plan.stacks.find((stack) => stack.stack === 'account-workload-prod')).toEqual({
      stack: 'account-workload-prod',
      wave: 4,
      kind: 'account',
      account: { name: 'workload-prod', id: '444444444444', role: 'member' },
      region: 'eu-west-1',
      backend: { type: 'local', path: 'stacks/account-workload-prod/terraform.tfstate' },
    });
    expect(plan.stacks.find((stack) => stack.stack === 'management')!.account).toEqual({ name: 'management', id: '111111111111', role: 'management' });
  });

  it("names each stack's S3 state key as the stack's backend does", () => {
    const config = configWith((input) => {
      input.deployment = { backend: { type: 's3', bucket: 'acme-terraform-state', region: 'eu-west-1', keyPrefix: 'baseline/prod' } };
    });
    expect(plannedStacks(config).find((stack) => stack.stack === 'security')!.backend).toEqual({
      type: 's3',
      bucket: 'acme-terraform-state',
      region: 'eu-west-1',
      key: 'baseline/prod/security.tfstate',
    });
  });

  it('is written as stable JSON, and listed one stack a line with wave, account and region', () => {
    const plan = deployPlan(exampleConfig());
    expect(DEPLOY_PLAN_FILE).toBe('deploy-plan.json');
    expect(formatDeployPlan(plan)).toBe(formatDeployPlan(deployPlan(exampleConfig())));
    expect(JSON.parse(formatDeployPlan(plan))).toEqual(plan);
    const list = formatStackList(plan, new Set(['log-archive', 'account-security'])).split('\n');
    expect(list).toEqual([
      'wave  stack             account                     region',
      '   1  log-archive       log-archive (222222222222)  eu-west-1',
      '   4  account-security  security (333333333333)     eu-west-1',
      '',
    ]);
  });
});

describe('--stack patterns', () => {
  const names = ['log-archive', 'management', 'security', 'account-management', 'account-a1', 'account-b2'];

  it('selects names and globs in build order, every stack without a pattern', () => {
    expect(selectStacks(names, [])).toEqual(names);
    expect(selectStacks(names, ['account-*', 'security'])).toEqual(['security', 'account-management', 'account-a1', 'account-b2']);
    expect(selectStacks(names, ['account-??'])).toEqual(['account-a1', 'account-b2']);
    // Other characters are literal: a dot is not "any character".
    expect(() => selectStacks(names, ['log.archive'])).toThrow(StackSelectionError);
  });

  it('refuses a pattern that matches no stack, naming the closest', () => {
    expect(() => selectStacks(names, ['managment'])).toThrow('--stack managment: no stack of the configuration has that name; did you mean management?');
    expect(() => selectStacks(names, ['workload-*'])).toThrow(/^--stack workload-\*: no stack of the configuration has that name \(npm run synth/);
  });
});
