import { bucketLocations, detectorActs, detectorDeployed } from '../../lib/detector/monitored-buckets';
import { configWith, resourcesOf, type SynthesizedStack, synthAll } from '../helpers';
import { evaluate } from '../policy/simulate';
import { logicalIdOf, only, resolvedPolicy } from './wiring';

/*
 * The wiring under other configurations: buckets in several accounts and regions, the response modes, rule toggles,
 * and no detector at all.
 */

const SECURITY = '333333333333';
const PROD = '444444444444';
const DEV = '555555555555';
const ORG = 'o-a1b2c3d4e5';
const ACCOUNTS = ['111111111111', '222222222222', SECURITY, PROD, DEV];
const BUS_ARN = `arn:aws:events:eu-west-1:${SECURITY}:event-bus/acme-s3-data-events`;
const forwardingRule = (account: string, region: string) => `arn:aws:events:${region}:${account}:rule/acme-forward-s3-data-events`;
const DETECTOR_SESSION = `arn:aws:sts::${SECURITY}:assumed-role/acme-s3-access-detector/acme-s3-access-detector`;
const DETECTOR_FUNCTION = `arn:aws:lambda:eu-west-1:${SECURITY}:function:acme-s3-access-detector`;
/** The accounts that get a response role: never the management or log-archive account. */
const RESPONSE_ACCOUNTS = [SECURITY, PROD, DEV];

const names = (stack: SynthesizedStack, type: string, field = 'name') =>
  Object.values(resourcesOf(stack, type)).map((resource) => resource[field]);
const forwardingRules = (stack: SynthesizedStack) =>
  Object.values(resourcesOf(stack, 'aws_cloudwatch_event_rule')).filter((rule) => rule.name === 'acme-forward-s3-data-events');

describe('buckets in several accounts and regions, response enforced', () => {
  const stacks = synthAll(
    configWith((input) => {
      input.detector!.response = 'enforce';
      input.detector!.reservedConcurrency = 17;
      // The S3 rules' forwarding alone; network activity forwarding from every account: network-activity.test.ts.
      input.detector!.rules = { vpcEndpointAccess: false };
      input.detector!.monitoredBuckets!.push(
        { name: 'acme-payroll', account: 'workload-prod', region: 'us-east-1', keyPatterns: ['*'] },
        { name: 'acme-archive', account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['*'] },
        { name: 'acme-dev-exports', account: 'workload-dev', region: 'eu-central-1', keyPatterns: ['*.csv'] },
      );
    }),
  );
  const security = stacks.security;
  const detectorPolicyAsWritten = () => {
    const roleId = logicalIdOf(security, 'aws_iam_role', { name: 'acme-s3-access-detector' });
    return resolvedPolicy(security, only(security, 'aws_iam_role_policy', { role: `\${aws_iam_role.${roleId}.name}` }).policy, SECURITY) as {
      Statement: { Sid: string; Condition?: unknown }[];
    };
  };
  // The simulator cannot evaluate lambda:SourceFunctionArn: that condition is checked as written, the rest simulated.
  const detectorPolicy = () => {
    const policy = detectorPolicyAsWritten();
    return {
      ...policy,
      Statement: policy.Statement.map(({ Condition, ...statement }) => {
        if (!Condition) return statement;
        if (statement.Sid !== 'AssumeResponseRoles') return { ...statement, Condition };
        const { ArnEquals, ...simulated } = Condition as Record<string, unknown>;
        return { ...statement, Condition: simulated };
      }),
    };
  };

  it('forwards from every region where an account owns a monitored bucket, with that region\'s buckets', () => {
    const buckets = (stack: SynthesizedStack) =>
      Object.fromEntries(
        forwardingRules(stack).map((rule) => {
          const pattern = JSON.parse(rule.event_pattern as string);
          const reads = pattern.$or.find((branch: { detail: { resources?: unknown } }) => branch.detail.resources);
          return [rule.region, reads.detail.resources.ARN.map(({ prefix }: { prefix: string }) => prefix.slice('arn:aws:s3:::'.length, -1))];
        }),
      );
    expect(buckets(stacks['account-workload-prod'])).toEqual({
      'eu-west-1': ['acme-archive', 'acme-customer-records'],
      'us-east-1': ['acme-payroll'],
    });
    expect(buckets(stacks['account-workload-dev'])).toEqual({ 'eu-central-1': ['acme-dev-exports'] });
    expect(names(stacks['account-workload-prod'], 'aws_iam_role').filter((name) => name === 'acme-s3-data-event-forwarder')).toHaveLength(1);
    const queues = Object.values(resourcesOf(stacks['account-workload-prod'], 'aws_sqs_queue'))
      .filter((queue) => queue.name === 'acme-forward-s3-data-events-undelivered')
      .map((queue) => queue.region);
    expect(queues.sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it("accepts on the bus each owner's forwarding rules in the regions of its buckets, and nothing else", async () => {
    const busPolicy = JSON.parse(only(security, 'aws_cloudwatch_event_bus_policy', { region: 'eu-west-1' }).policy as string);
    const identity = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN }] };
    const put = (account: string, region: string) =>
      evaluate(
        {
          principal: `arn:aws:sts::${account}:assumed-role/acme-s3-data-event-forwarder/events`,
          action: 'events:PutEvents',
          resource: BUS_ARN,
          resourceAccount: SECURITY,
          context: { 'aws:PrincipalOrgID': ORG, 'aws:SourceArn': forwardingRule(account, region) },
        },
        { resourcePolicy: busPolicy, identityPolicies: [identity] },
      );
    await expect(put(PROD, 'eu-west-1')).resolves.toBe('Allowed');
    await expect(put(PROD, 'us-east-1')).resolves.toBe('Allowed');
    await expect(put(DEV, 'eu-central-1')).resolves.toBe('Allowed');
    await expect(put(DEV, 'eu-west-1')).resolves.toBe('ImplicitlyDenied');
    await expect(put(PROD, 'eu-central-1')).resolves.toBe('ImplicitlyDenied');
  });

  it('invokes the detector for events of both owning accounts, with the configured concurrency', () => {
    const rule = only(security, 'aws_cloudwatch_event_rule', { name: 'acme-s3-access-detector' });
    expect(JSON.parse(rule.event_pattern as string).account).toEqual([PROD, DEV]);
    expect(only(security, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' }).reserved_concurrent_executions).toBe(17);
  });

  it('lets the detector function assume the response role of every member and the security account, and no other role', async () => {
    const accountOf = (stack: SynthesizedStack) => (stack.provider.aws[0] as { allowed_account_ids: string[] }).allowed_account_ids[0];
    const trustIn = (account: string) => {
      const stack = Object.entries(stacks).find(([name, candidate]) => name.startsWith('account-') && accountOf(candidate) === account)![1];
      return JSON.parse(only(stack, 'aws_iam_role', { name: 'acme-detector-response' }).assume_role_policy as string);
    };
    // STS reports the organization of the role's account as aws:ResourceOrgID; 999999999999 is in another one.
    const organizationOf = (account: string) => (account === '999999999999' ? 'o-zzzzzzzzzz' : ORG);
    const assume = (roleArn: string, trust?: unknown, identityPolicies: unknown[] = [detectorPolicy()]) =>
      evaluate(
        {
          principal: DETECTOR_SESSION,
          action: 'sts:AssumeRole',
          resource: roleArn,
          resourceAccount: roleArn.split(':')[4],
          context: { 'aws:ResourceOrgID': organizationOf(roleArn.split(':')[4]) },
        },
        { identityPolicies, resourcePolicy: trust },
      );
    expect(detectorPolicyAsWritten().Statement.find((statement) => statement.Sid === 'AssumeResponseRoles')!.Condition).toEqual({
      ArnEquals: { 'lambda:SourceFunctionArn': DETECTOR_FUNCTION },
      StringEquals: { 'aws:ResourceOrgID': ORG },
    });
    for (const account of RESPONSE_ACCOUNTS) {
      await expect(assume(`arn:aws:iam::${account}:role/acme-detector-response`, trustIn(account))).resolves.toBe('Allowed');
      // The trust alone is never enough, not even in the security account: the identity policy (and with it the
      // binding to the detector function) must allow as well.
      await expect(assume(`arn:aws:iam::${account}:role/acme-detector-response`, trustIn(account), [])).resolves.toBe('ImplicitlyDenied');
    }
    const trustsDetector = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    // Never in the management or log-archive account, whatever role is created there.
    for (const account of ACCOUNTS.filter((candidate) => !RESPONSE_ACCOUNTS.includes(candidate))) {
      await expect(assume(`arn:aws:iam::${account}:role/acme-detector-response`, trustsDetector)).resolves.toBe('ExplicitlyDenied');
    }
    // The grant is by organization, not by a list that grows with it: an account that joined after the last deploy
    // is covered once its own stack creates the response role.
    await expect(assume('arn:aws:iam::666666666666:role/acme-detector-response', trustsDetector)).resolves.toBe('Allowed');
    // A role that would trust the detector still cannot be assumed unless it is a response role of the organization.
    const trustsAnyone = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };
    await expect(assume('arn:aws:iam::999999999999:role/acme-detector-response', trustsAnyone)).resolves.toBe('ImplicitlyDenied');
    await expect(assume(`arn:aws:iam::${PROD}:role/OrganizationAccountAccessRole`, trustsAnyone)).resolves.toBe('ImplicitlyDenied');
    // Never with its own identity: only through the response role of the flagged role's account.
    await expect(
      evaluate(
        { principal: DETECTOR_SESSION, action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${SECURITY}:role/x`, resourceAccount: SECURITY },
        { identityPolicies: [detectorPolicy()] },
      ),
    ).resolves.toBe('ImplicitlyDenied');
  });

  it.each(['account-management', 'account-log-archive'])('puts no response role in %s', (stackName) => {
    expect(names(stacks[stackName], 'aws_iam_role')).not.toContain('acme-detector-response');
  });

  describe.each(['account-security', 'account-workload-prod', 'account-workload-dev'])(
    'the response role in %s',
    (stackName) => {
      const stack = stacks[stackName];
      const account = (stack.provider.aws[0] as { allowed_account_ids: string[] }).allowed_account_ids[0];
      const role = only(stack, 'aws_iam_role', { name: 'acme-detector-response' });
      const roleId = logicalIdOf(stack, 'aws_iam_role', { name: 'acme-detector-response' });
      const policy = JSON.parse(only(stack, 'aws_iam_role_policy', { role: `\${aws_iam_role.${roleId}.name}` }).policy as string);
      const session = () => `arn:aws:sts::${account}:assumed-role/acme-detector-response/s3-access-detector`;
      const put = (roleName: string, inAccount = account) =>
        evaluate(
          { principal: session(), action: 'iam:PutRolePolicy', resource: `arn:aws:iam::${inAccount}:role/${roleName}`, resourceAccount: inAccount },
          { identityPolicies: [policy] },
        );

      it('can be assumed by the detector function only', async () => {
        const trust = JSON.parse(role.assume_role_policy as string);
        const assume = (principal: string) =>
          evaluate(
            { principal, action: 'sts:AssumeRole', resource: `arn:aws:iam::${account}:role/acme-detector-response`, resourceAccount: account },
            { resourcePolicy: trust, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }] },
          );
        await expect(assume(DETECTOR_SESSION)).resolves.toBe('Allowed');
        await expect(assume(`arn:aws:sts::${SECURITY}:assumed-role/acme-log-investigator/someone`)).resolves.toBe('ImplicitlyDenied');
      });

      it("puts inline policies on this account's roles, to revoke their sessions", async () => {
        await expect(put('acme-records-api')).resolves.toBe('Allowed');
        await expect(put('team/acme-records-api')).resolves.toBe('Allowed');
      });

      it('never on the deployment role, the detector\'s own roles, whatever their path', async () => {
        for (const protectedRole of ['OrganizationAccountAccessRole', 'acme-s3-access-detector', 'acme-s3-data-event-forwarder', 'ops/OrganizationAccountAccessRole']) {
          await expect(put(protectedRole)).resolves.toBe('ExplicitlyDenied');
        }
        const deny = (policy.Statement as { Sid: string; Resource: string[] }[]).find((statement) => statement.Sid === 'NeverProtectedRoles')!;
        expect(deny.Resource).toContain(`arn:aws:iam::${account}:role/aws-reserved/*`);
      });

      it('never on itself, the forwarder, service-linked roles, or roles of other accounts', async () => {
        await expect(put('acme-detector-response')).resolves.toBe('ExplicitlyDenied');
        await expect(put('aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig')).resolves.toBe('ExplicitlyDenied');
        if (stackName === 'account-workload-prod') await expect(put('acme-s3-data-event-forwarder')).resolves.toBe('ExplicitlyDenied');
        const elsewhere = account === PROD ? DEV : PROD;
        await expect(put('acme-records-api', elsewhere)).resolves.toBe('ImplicitlyDenied');
      });

      it('can do nothing else', async () => {
        const actions = (policy.Statement as { Effect: string; Action: string }[]).filter((s) => s.Effect === 'Allow').map((s) => s.Action);
        expect(actions).toEqual([['iam:GetRolePolicy', 'iam:PutRolePolicy']]);
      });
    },
  );
});

describe('dry-run response, enumeration and instance-credential rules off', () => {
  const stacks = synthAll(
    configWith((input) => {
      input.detector!.response = 'dry-run';
      input.detector!.rules = { bucketEnumeration: false, instanceCredentialsOutsideAws: false, vpcEndpointAccess: false };
    }),
  );

  it('creates no response role and gives the detector no role to assume: dry-run only describes', () => {
    for (const [name, stack] of Object.entries(stacks)) {
      if (name.startsWith('account-')) expect(names(stack, 'aws_iam_role')).not.toContain('acme-detector-response');
    }
    const roleId = logicalIdOf(stacks.security, 'aws_iam_role', { name: 'acme-s3-access-detector' });
    const policy = only(stacks.security, 'aws_iam_role_policy', { role: `\${aws_iam_role.${roleId}.name}` }).policy as string;
    expect(policy).not.toContain('sts:AssumeRole');
    expect(policy).not.toContain('iam:');
  });

  it('forwards only object reads, without read-only management events', () => {
    const [rule] = forwardingRules(stacks['account-workload-prod']);
    expect(rule.state).toBe('ENABLED');
    const pattern = JSON.parse(rule.event_pattern as string);
    const eventNames = pattern.$or.flatMap((branch: { detail: { eventName?: string[] } }) => branch.detail.eventName ?? ['(any)']);
    expect(eventNames).toContain('GetObject');
    expect(eventNames).not.toContain('ListBuckets');
    expect(eventNames).not.toContain('(any)');
  });
});

describe('without a detector', () => {
  it('deploys nothing of it when disabled', () => {
    const stacks = synthAll(
      configWith((input) => {
        input.detector!.enabled = false;
        input.detector!.response = 'enforce';
      }),
    );
    expect(names(stacks.security, 'aws_cloudwatch_event_bus')).not.toContain('acme-s3-data-events');
    expect(names(stacks.security, 'aws_lambda_function', 'function_name')).not.toContain('acme-s3-access-detector');
    expect(names(stacks.security, 'aws_sns_topic')).not.toContain('acme-s3-access-findings');
    for (const [name, stack] of Object.entries(stacks)) {
      if (!name.startsWith('account-')) continue;
      expect(forwardingRules(stack)).toEqual([]);
      expect(names(stack, 'aws_iam_role')).not.toContain('acme-detector-response');
      expect(names(stack, 'aws_iam_role')).not.toContain('acme-s3-data-event-forwarder');
    }
  });

  // The stacks ask detectorDeployed (security) and bucketLocations (accounts), so the case above covers these too.
  it.each([
    ['without monitored buckets', { monitoredBuckets: [] }],
    ['when every rule is off', { rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: false, vpcEndpointAccess: false, massDownload: false } }],
  ])('deploys nothing of it %s', (_, detector) => {
    const config = configWith((input) => {
      Object.assign(input.detector!, detector);
    });
    expect(detectorDeployed(config)).toBe(false);
    expect(bucketLocations(config)).toEqual([]);
    expect(detectorActs(configWith((input) => Object.assign(input.detector!, detector, { response: 'enforce' })))).toBe(false);
  });
});
