import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBaselineApp } from '../../lib/app';
import { buildDetectorPackage } from '../../lib/detector/package';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { exampleConfig, resourcesOf, type SynthesizedStack } from '../helpers';
import { evaluate } from '../policy/simulate';
import { matches } from './event-pattern';
import { logicalIdOf, only, resolvedPolicy } from './wiring';

/*
 * The security account's side of the S3 access detector, in the example configuration: one monitored bucket owned
 * by workload-prod (444444444444) in eu-west-1; the security account is 333333333333, home region eu-west-1.
 */

const SECURITY = '333333333333';
const OWNER = '444444444444';
const OTHER_MEMBER = '555555555555';
const ORG = 'o-a1b2c3d4e5';
const BUS_ARN = `arn:aws:events:eu-west-1:${SECURITY}:event-bus/acme-s3-data-events`;
const FORWARDING_RULE = `arn:aws:events:eu-west-1:${OWNER}:rule/acme-forward-s3-data-events`;
const DETECTOR_RULE = `arn:aws:events:eu-west-1:${SECURITY}:rule/acme-s3-data-events/acme-s3-access-detector`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${SECURITY}:acme-s3-access-findings`;
const FUNCTION_ROLE = `arn:aws:sts::${SECURITY}:assumed-role/acme-s3-access-detector/acme-s3-access-detector`;

const config = exampleConfig();
// One synth to disk, as users run it: every stack and the package file it ships.
const outdir = mkdtempSync(path.join(os.tmpdir(), 'detector-wiring-'));
buildBaselineApp(config, { outdir }).synth();
const stackDir = (name: string) => path.join(outdir, 'stacks', name);
const synthesized = (name: string): SynthesizedStack => JSON.parse(readFileSync(path.join(stackDir(name), 'cdk.tf.json'), 'utf8'));
const stack = synthesized('security');
const ownerStack = synthesized('account-workload-prod');

const busPolicy = () => JSON.parse(only(stack, 'aws_cloudwatch_event_bus_policy', { region: 'eu-west-1' }).policy as string);
const functionRoleRef = (synthesized: typeof stack) =>
  `\${aws_iam_role.${logicalIdOf(synthesized, 'aws_iam_role', { name: 'acme-s3-access-detector' })}.name}`;
const functionPolicy = (synthesized = stack) =>
  resolvedPolicy(synthesized, only(synthesized, 'aws_iam_role_policy', { role: functionRoleRef(synthesized) }).policy, SECURITY);
const functionRef = () => logicalIdOf(stack, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' });

describe('the detector bus', () => {
  it('is a custom bus in the home region with the shared name', () => {
    expect(only(stack, 'aws_cloudwatch_event_bus', { name: 'acme-s3-data-events' })).toMatchObject({ name: 'acme-s3-data-events', region: 'eu-west-1' });
  });

  // Cross-account: the forwarder role's own policy (account stack) and the bus policy must both allow.
  const forwarderPolicy = JSON.parse(
    only(ownerStack, 'aws_iam_role_policy', { name: 'put-events-on-detector-bus' }).policy as string,
  );
  const putEvents = (account: string, context: Record<string, string>) =>
    evaluate(
      {
        principal: `arn:aws:sts::${account}:assumed-role/acme-s3-data-event-forwarder/events`,
        action: 'events:PutEvents',
        resource: BUS_ARN,
        resourceAccount: SECURITY,
        context,
      },
      { resourcePolicy: busPolicy(), identityPolicies: [forwarderPolicy] },
    );

  it('accepts events from the forwarding rule of the account owning the bucket', async () => {
    await expect(putEvents(OWNER, { 'aws:PrincipalOrgID': ORG, 'aws:SourceArn': FORWARDING_RULE })).resolves.toBe('Allowed');
  });

  it('admits the other accounts of the organization through their forwarding rule only (their VPC endpoints\' network activity)', async () => {
    const rule = (region: string, name: string) => `arn:aws:events:${region}:${OTHER_MEMBER}:rule/${name}`;
    await expect(putEvents(OTHER_MEMBER, { 'aws:PrincipalOrgID': ORG, 'aws:SourceArn': rule('us-east-1', 'acme-forward-s3-data-events') })).resolves.toBe('Allowed');
    await expect(putEvents(OTHER_MEMBER, { 'aws:PrincipalOrgID': ORG, 'aws:SourceArn': rule('eu-west-1', 'my-rule') })).resolves.toBe('ImplicitlyDenied');
    await expect(putEvents(OTHER_MEMBER, { 'aws:PrincipalOrgID': ORG })).resolves.toBe('ImplicitlyDenied');
    await expect(putEvents(OTHER_MEMBER, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz', 'aws:SourceArn': rule('eu-west-1', 'acme-forward-s3-data-events') })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });

  it('refuses the owning account once it has left the organization', async () => {
    await expect(putEvents(OWNER, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz', 'aws:SourceArn': FORWARDING_RULE })).resolves.toBe(
      'ImplicitlyDenied',
    );
  });

  it('refuses anything in the owning account but its forwarding rule', async () => {
    const otherRule = `arn:aws:events:eu-west-1:${OWNER}:rule/something-else`;
    await expect(putEvents(OWNER, { 'aws:PrincipalOrgID': ORG, 'aws:SourceArn': otherRule })).resolves.toBe('ImplicitlyDenied');
  });
});

describe('the rule that invokes the detector', () => {
  const rule = only(stack, 'aws_cloudwatch_event_rule', { name: 'acme-s3-access-detector' });
  const ruleId = logicalIdOf(stack, 'aws_cloudwatch_event_rule', { name: 'acme-s3-access-detector' });

  it('listens on the detector bus, to CloudTrail events of the owning accounts, read-only calls included', () => {
    expect(rule).toMatchObject({ name: 'acme-s3-access-detector', region: 'eu-west-1', state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' });
    expect(rule.event_bus_name).toBe('acme-s3-data-events');
    const busId = logicalIdOf(stack, 'aws_cloudwatch_event_bus', { name: 'acme-s3-data-events' });
    expect(rule.depends_on).toEqual([`aws_cloudwatch_event_bus.${busId}`]);
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: [{ prefix: 'aws.' }],
      'detail-type': ['AWS API Call via CloudTrail'],
      $or: [{ account: [OWNER], detail: { recipientAccountId: [OWNER] } }, { detail: { eventCategory: ['NetworkActivity'] } }],
    });
  });

  it('lets through CloudTrail events of the owning account only, never custom events that copy their detail-type', () => {
    const pattern = JSON.parse(rule.event_pattern as string);
    const event = (source: string, account = OWNER, recipientAccountId = OWNER) =>
      ({ source, account, 'detail-type': 'AWS API Call via CloudTrail', detail: { recipientAccountId } }) as never;
    expect(matches(pattern, event('aws.s3'))).toBe(true);
    expect(matches(pattern, event('aws.ec2'))).toBe(true);
    expect(matches(pattern, event('acme.forged'))).toBe(false);
    expect(matches(pattern, event('aws.s3', OTHER_MEMBER, OTHER_MEMBER))).toBe(false);
    expect(matches(pattern, event('aws.s3', OWNER, OTHER_MEMBER))).toBe(false);
    // Network activity of any account (the bus admits the organization's forwarding rules only), never forged.
    const network = (source: string) =>
      ({ source, account: OTHER_MEMBER, 'detail-type': 'AWS API Call via CloudTrail', detail: { recipientAccountId: OTHER_MEMBER, eventCategory: 'NetworkActivity' } }) as never;
    expect(matches(pattern, network('aws.kms'))).toBe(true);
    expect(matches(pattern, network('acme.forged'))).toBe(false);
  });

  it('targets the function with retries and an encrypted dead-letter queue', () => {
    const target = only(stack, 'aws_cloudwatch_event_target', { rule: `\${aws_cloudwatch_event_rule.${ruleId}.name}` });
    const functionId = logicalIdOf(stack, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' });
    const queueId = logicalIdOf(stack, 'aws_sqs_queue', { name: 'acme-s3-access-detector-undelivered' });
    expect(target.arn).toBe(`\${aws_lambda_function.${functionId}.arn}`);
    expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 });
    expect(target.dead_letter_config).toEqual({ arn: `\${aws_sqs_queue.${queueId}.arn}` });
    expect(only(stack, 'aws_sqs_queue', { name: 'acme-s3-access-detector-undelivered' }).kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it('is the only source allowed to invoke the function', () => {
    expect(only(stack, 'aws_lambda_permission', { function_name: `\${aws_lambda_function.${functionRef()}.function_name}` })).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      source_arn: DETECTOR_RULE,
      source_account: SECURITY,
    });
  });

  it('may write to its dead-letter queue, on behalf of this rule only', async () => {
    const policies = Object.values(resourcesOf(stack, 'aws_sqs_queue_policy')).map((resource) => JSON.parse(resource.policy as string));
    const ruleQueuePolicy = policies.find((policy) => JSON.stringify(policy).includes('DetectorRuleSend'));
    const send = (sourceArn: string) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sqs:SendMessage',
          resource: `arn:aws:sqs:eu-west-1:${SECURITY}:acme-s3-access-detector-undelivered`,
          resourceAccount: SECURITY,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SECURITY },
        },
        { resourcePolicy: ruleQueuePolicy },
      );
    await expect(send(DETECTOR_RULE)).resolves.toBe('Allowed');
    await expect(send(`arn:aws:events:eu-west-1:${SECURITY}:rule/other`)).resolves.toBe('ImplicitlyDenied');
  });
});

describe('the detector function', () => {
  const fn = only(stack, 'aws_lambda_function', { function_name: 'acme-s3-access-detector' });

  it('runs the packaged detector on nodejs24.x with reserved concurrency and source maps', () => {
    const pkg = buildDetectorPackage(detectorSettingsFrom(config));
    expect(fn).toMatchObject({
      function_name: 'acme-s3-access-detector',
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      reserved_concurrent_executions: config.detector.reservedConcurrency,
      source_code_hash: pkg.sourceCodeHash,
      environment: { variables: { FINDINGS_TOPIC_ARN: TOPIC_ARN, NODE_OPTIONS: '--enable-source-maps' } },
      region: 'eu-west-1',
    });
  });

  it('sends invocations that fail after Lambda retries to an encrypted queue', () => {
    const queueId = logicalIdOf(stack, 'aws_sqs_queue', { name: 'acme-s3-access-detector-failed-invocations' });
    expect(
      only(stack, 'aws_lambda_function_event_invoke_config', { function_name: `\${aws_lambda_function.${functionRef()}.function_name}` }),
    ).toMatchObject({
      maximum_retry_attempts: 2,
      destination_config: { on_failure: { destination: `\${aws_sqs_queue.${queueId}.arn}` } },
    });
    expect(only(stack, 'aws_sqs_queue', { name: 'acme-s3-access-detector-failed-invocations' }).kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  it('logs to its own KMS-encrypted group, kept a year, created before the function', () => {
    const group = only(stack, 'aws_cloudwatch_log_group', { name: '/aws/lambda/acme-s3-access-detector' });
    expect(group.retention_in_days).toBeGreaterThanOrEqual(365);
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(fn.logging_config).toMatchObject({ log_group: '/aws/lambda/acme-s3-access-detector' });
    const groupId = logicalIdOf(stack, 'aws_cloudwatch_log_group', { name: '/aws/lambda/acme-s3-access-detector' });
    expect(fn.depends_on).toContain(`aws_cloudwatch_log_group.${groupId}`);
  });

  it('publishes to a KMS-encrypted topic with the configured subscribers', () => {
    expect(only(stack, 'aws_sns_topic', { name: 'acme-s3-access-findings' }).kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    const topicId = logicalIdOf(stack, 'aws_sns_topic', { name: 'acme-s3-access-findings' });
    const endpoints = Object.values(resourcesOf(stack, 'aws_sns_topic_subscription'))
      .filter((subscription) => subscription.topic_arn === `\${aws_sns_topic.${topicId}.arn}`)
      .map((subscription) => subscription.endpoint);
    expect(endpoints).toEqual(config.notifications.emails);
  });

  it('ships as a package file inside the stack directory, identical to the built package', () => {
    const filename = fn.filename as string;
    expect(path.isAbsolute(filename)).toBe(false);
    expect(filename.startsWith('assets/')).toBe(true);
    const zip = readFileSync(path.join(stackDir('security'), filename));
    expect(createHash('sha256').update(zip).digest('base64')).toBe(fn.source_code_hash);
  });
});

describe("the detector function's role", () => {
  const request = (action: string, resource: string, context: Record<string, string> = {}) => ({
    principal: FUNCTION_ROLE,
    action,
    resource,
    resourceAccount: SECURITY,
    context,
  });
  const can = (action: string, resource: string, context?: Record<string, string>) =>
    evaluate(request(action, resource, context), { identityPolicies: [functionPolicy()] });

  it('can be assumed by Lambda for functions of this account only', async () => {
    const trust = JSON.parse(only(stack, 'aws_iam_role', { name: 'acme-s3-access-detector' }).assume_role_policy as string);
    const assume = (sourceAccount: string) =>
      evaluate(
        {
          principal: 'lambda.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${SECURITY}:role/acme-s3-access-detector`,
          resourceAccount: SECURITY,
          context: { 'aws:SourceAccount': sourceAccount },
        },
        { resourcePolicy: trust },
      );
    await expect(assume(SECURITY)).resolves.toBe('Allowed');
    await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');
  });

  it('publishes findings to its topic and to no other', async () => {
    await expect(can('sns:Publish', TOPIC_ARN)).resolves.toBe('Allowed');
    await expect(can('sns:Publish', `arn:aws:sns:eu-west-1:${SECURITY}:acme-security-findings`)).resolves.toBe('ImplicitlyDenied');
  });

  it('uses the topic key only through SNS', async () => {
    const keyId = logicalIdOf(stack, 'aws_kms_key', { description: 'Encrypts the SNS topic acme-s3-access-findings' });
    const key = resolvedPolicy(stack, `"\${aws_kms_key.${keyId}.arn}"`, SECURITY) as string;
    // KMS needs the key policy to allow as well; the topic key delegates to IAM in its account.
    const keyPolicy = JSON.parse(resourcesOf(stack, 'aws_kms_key')[keyId].policy as string);
    const use = (action: string, resource: string, viaService: string) =>
      evaluate(request(action, resource, { 'kms:ViaService': viaService }), {
        identityPolicies: [functionPolicy()],
        resourcePolicy: keyPolicy,
      });
    await expect(use('kms:GenerateDataKey', key, 'sns.eu-west-1.amazonaws.com')).resolves.toBe('Allowed');
    await expect(use('kms:Decrypt', key, 'sns.eu-west-1.amazonaws.com')).resolves.toBe('Allowed');
    await expect(use('kms:Decrypt', key, 's3.eu-west-1.amazonaws.com')).resolves.toBe('ImplicitlyDenied');
    const otherKey = `arn:aws:kms:eu-west-1:${SECURITY}:key/11111111-2222-4333-8444-555555555555`;
    await expect(use('kms:Decrypt', otherKey, 'sns.eu-west-1.amazonaws.com')).resolves.toBe('ImplicitlyDenied');
  });

  it('writes its own log streams only', async () => {
    const own = `arn:aws:logs:eu-west-1:${SECURITY}:log-group:/aws/lambda/acme-s3-access-detector:log-stream:2026/11/22/abc`;
    await expect(can('logs:PutLogEvents', own)).resolves.toBe('Allowed');
    const other = `arn:aws:logs:eu-west-1:${SECURITY}:log-group:/aws/lambda/other:log-stream:x`;
    await expect(can('logs:PutLogEvents', other)).resolves.toBe('ImplicitlyDenied');
  });

  it('reports failed invocations to its failure queue only', async () => {
    await expect(can('sqs:SendMessage', `arn:aws:sqs:eu-west-1:${SECURITY}:acme-s3-access-detector-failed-invocations`)).resolves.toBe('Allowed');
    await expect(can('sqs:SendMessage', `arn:aws:sqs:eu-west-1:${SECURITY}:acme-s3-access-detector-undelivered`)).resolves.toBe('ImplicitlyDenied');
  });

  it('can do nothing else: no wildcard action, no read of the data it watches, no IAM changes', async () => {
    const statements = (functionPolicy() as { Statement: { Action: string | string[]; Resource: string | string[] }[] }).Statement;
    for (const statement of statements) {
      const actions = [statement.Action].flat();
      expect(actions).not.toContain('*');
      // Only sending traces, which X-Ray does not scope to resources, is allowed on every resource.
      if ([statement.Resource].flat().includes('*')) expect(actions.every((action) => action.startsWith('xray:Put'))).toBe(true);
    }
    await expect(can('s3:GetObject', 'arn:aws:s3:::acme-customer-records/customers/1.csv')).resolves.toBe('ImplicitlyDenied');
    await expect(can('iam:PutRolePolicy', `arn:aws:iam::${SECURITY}:role/anything`)).resolves.toBe('ImplicitlyDenied');
    await expect(can('sts:AssumeRole', `arn:aws:iam::${OWNER}:role/acme-detector-response`)).resolves.toBe('ImplicitlyDenied');
  });
});

describe('forwarding from the account owning the monitored bucket', () => {
  const rule = only(ownerStack, 'aws_cloudwatch_event_rule', { name: 'acme-forward-s3-data-events', region: 'eu-west-1' });
  const ruleId = logicalIdOf(ownerStack, 'aws_cloudwatch_event_rule', { name: 'acme-forward-s3-data-events', region: 'eu-west-1' });
  const target = only(ownerStack, 'aws_cloudwatch_event_target', { rule: `\${aws_cloudwatch_event_rule.${ruleId}.name}` });
  const pattern = JSON.parse(rule.event_pattern as string);
  const branches = pattern.$or as { source?: string[]; detail: Record<string, unknown> }[];

  it("runs on the default bus of the bucket's region, read-only management calls included", () => {
    expect(rule).toMatchObject({ region: 'eu-west-1', state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' });
    expect(rule.event_bus_name).toBeUndefined();
  });

  it('selects reads of the monitored bucket, copies out of it, ListBuckets, and calls with instance credentials', () => {
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    const reads = branches.find((branch) => branch.detail.resources);
    expect(reads).toMatchObject({
      source: ['aws.s3'],
      account: [OWNER],
      detail: { recipientAccountId: [OWNER], eventSource: ['s3.amazonaws.com'], resources: { ARN: [{ prefix: 'arn:aws:s3:::acme-customer-records/' }] } },
    });
    expect(reads!.detail.eventName).toEqual(expect.arrayContaining(['GetObject', 'CopyObject', 'SelectObjectContent']));
    const copies = branches.find((branch) => (branch.detail.requestParameters as Record<string, unknown>)?.['x-amz-copy-source']);
    expect((copies!.detail.requestParameters as Record<string, unknown>)['x-amz-copy-source']).toEqual([
      { prefix: 'acme-customer-records/' },
      { prefix: '/acme-customer-records/' },
    ]);
    expect(branches).toContainEqual({
      source: ['aws.s3'],
      account: [OWNER],
      detail: { recipientAccountId: [OWNER], eventSource: ['s3.amazonaws.com'], eventName: ['ListBuckets'] },
    });
    const instance = branches.find((branch) => branch.detail.userIdentity);
    expect(instance!.source).toEqual([{ prefix: 'aws.' }]);
    expect(instance!.detail.userIdentity).toEqual({ type: ['AssumedRole'], principalId: [{ wildcard: '*:i-*' }] });
  });

  it("sends to the detector's bus as the forwarder role, with retries and an encrypted dead-letter queue", () => {
    const roleId = logicalIdOf(ownerStack, 'aws_iam_role', { name: 'acme-s3-data-event-forwarder' });
    const queueId = logicalIdOf(ownerStack, 'aws_sqs_queue', { name: 'acme-forward-s3-data-events-undelivered', region: 'eu-west-1' });
    expect(target).toMatchObject({
      arn: BUS_ARN,
      role_arn: `\${aws_iam_role.${roleId}.arn}`,
      region: 'eu-west-1',
      retry_policy: { maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 },
      dead_letter_config: { arn: `\${aws_sqs_queue.${queueId}.arn}` },
    });
    // SQS-managed encryption: no key a month per account and region, and none an account admin could disable.
    expect(resourcesOf(ownerStack, 'aws_sqs_queue')[queueId]).toMatchObject({ sqs_managed_sse_enabled: true });
    expect(resourcesOf(ownerStack, 'aws_sqs_queue')[queueId].kms_master_key_id).toBeUndefined();
  });

  it('lets EventBridge assume the forwarder role for this account\'s forwarding rules only', async () => {
    const trust = JSON.parse(only(ownerStack, 'aws_iam_role', { name: 'acme-s3-data-event-forwarder' }).assume_role_policy as string);
    const assume = (sourceArn: string, sourceAccount: string) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${OWNER}:role/acme-s3-data-event-forwarder`,
          resourceAccount: OWNER,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
        },
        { resourcePolicy: trust },
      );
    await expect(assume(FORWARDING_RULE, OWNER)).resolves.toBe('Allowed');
    await expect(assume(`arn:aws:events:eu-west-1:${OWNER}:rule/other`, OWNER)).resolves.toBe('ImplicitlyDenied');
    await expect(assume(`arn:aws:events:eu-west-1:${OTHER_MEMBER}:rule/acme-forward-s3-data-events`, OTHER_MEMBER)).resolves.toBe('ImplicitlyDenied');
  });

  it('lets the forwarder role put events on the detector bus and nowhere else', async () => {
    const policy = JSON.parse(only(ownerStack, 'aws_iam_role_policy', { name: 'put-events-on-detector-bus' }).policy as string);
    const put = (bus: string) =>
      evaluate(
        { principal: `arn:aws:sts::${OWNER}:assumed-role/acme-s3-data-event-forwarder/x`, action: 'events:PutEvents', resource: bus, resourceAccount: OWNER },
        { identityPolicies: [policy] },
      );
    await expect(put(`arn:aws:events:eu-west-1:${OWNER}:event-bus/default`)).resolves.toBe('ImplicitlyDenied');
    expect(policy.Statement).toEqual([expect.objectContaining({ Action: 'events:PutEvents', Resource: BUS_ARN })]);
  });

  it('lets the forwarding rule, and no other, write to its dead-letter queue', async () => {
    const policies = Object.values(resourcesOf(ownerStack, 'aws_sqs_queue_policy')).map((resource) => JSON.parse(resource.policy as string));
    const queuePolicy = policies.find((policy) => JSON.stringify(policy).includes(FORWARDING_RULE));
    const send = (sourceArn: string) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sqs:SendMessage',
          resource: `arn:aws:sqs:eu-west-1:${OWNER}:acme-forward-s3-data-events-undelivered`,
          resourceAccount: OWNER,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': OWNER },
        },
        { resourcePolicy: queuePolicy },
      );
    await expect(send(FORWARDING_RULE)).resolves.toBe('Allowed');
    await expect(send(`arn:aws:events:eu-west-1:${OWNER}:rule/other`)).resolves.toBe('ImplicitlyDenied');
  });
});

describe('accounts owning no monitored bucket', () => {
  it.each(['account-workload-dev', 'account-security', 'account-management', 'account-log-archive'])(
    '%s forwards only its VPC endpoints\' network activity, from every enabled region',
    (name) => {
      const other = synthesized(name);
      const rules = Object.values(resourcesOf(other, 'aws_cloudwatch_event_rule')).filter((rule) => rule.name === 'acme-forward-s3-data-events');
      expect(rules.map((rule) => rule.region).sort()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
      for (const rule of rules) {
        const pattern = JSON.parse(rule.event_pattern as string);
        expect(pattern.$or).toBeUndefined();
        expect(pattern.detail.eventCategory).toEqual(['NetworkActivity']);
        expect(JSON.stringify(pattern)).not.toContain('s3.amazonaws.com');
      }
      const queues = Object.values(resourcesOf(other, 'aws_sqs_queue')).filter((queue) => queue.name === 'acme-forward-s3-data-events-undelivered');
      expect(queues).toHaveLength(3);
      // Every account and region of the organization runs one: a key each would cost $1 a month per account and region.
      for (const queue of queues) expect(queue).toMatchObject({ sqs_managed_sse_enabled: true });
      expect(resourcesOf(other, 'aws_kms_key')).toEqual({});
    },
  );

  it('and no account has a response role while the response is off', () => {
    for (const name of ['account-workload-prod', 'account-workload-dev', 'account-security']) {
      const names = Object.values(resourcesOf(synthesized(name), 'aws_iam_role')).map((resource) => resource.name);
      expect(names).not.toContain('acme-detector-response');
    }
  });
});

describe('alarms on the detector falling behind', () => {
  const alarms = Object.values(resourcesOf(stack, 'aws_cloudwatch_metric_alarm')).filter((alarm) => String(alarm.alarm_name).startsWith('acme-s3-access-detector-'));
  const topicId = logicalIdOf(stack, 'aws_sns_topic', { name: 'acme-s3-access-findings' });

  it('alarm on throttles, event age, dropped and untrusted events, to the findings topic', () => {
    const byName = Object.fromEntries(alarms.map((alarm) => [alarm.alarm_name, alarm]));
    expect(Object.keys(byName).sort()).toEqual([
      'acme-s3-access-detector-dropped-events',
      'acme-s3-access-detector-event-age',
      // The failure queues' own alarms (lib/common/dead-letter-queue.ts).
      'acme-s3-access-detector-failed-invocations',
      'acme-s3-access-detector-throttles',
      'acme-s3-access-detector-undelivered',
      'acme-s3-access-detector-untrusted-events',
    ]);
    const lambda = { namespace: 'AWS/Lambda', dimensions: { FunctionName: 'acme-s3-access-detector' } };
    expect(byName['acme-s3-access-detector-throttles']).toMatchObject({ ...lambda, metric_name: 'Throttles', statistic: 'Sum', threshold: 0 });
    expect(byName['acme-s3-access-detector-event-age']).toMatchObject({ ...lambda, metric_name: 'AsyncEventAge', statistic: 'Maximum', threshold: 300000 });
    expect(byName['acme-s3-access-detector-dropped-events']).toMatchObject({ ...lambda, metric_name: 'AsyncEventsDropped', statistic: 'Sum', threshold: 0 });
    expect(byName['acme-s3-access-detector-untrusted-events']).toMatchObject({ namespace: 'S3AccessDetector', metric_name: 'UntrustedEvents' });
    // The failure queues' alarms reach the findings topic through findings routing's state-change rule instead.
    const queueAlarms = ['acme-s3-access-detector-failed-invocations', 'acme-s3-access-detector-undelivered'];
    for (const alarm of alarms.filter((candidate) => !queueAlarms.includes(String(candidate.alarm_name)))) {
      expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', alarm_actions: [`\${aws_sns_topic.${topicId}.arn}`], region: 'eu-west-1' });
    }
  });

  it('may publish to the encrypted findings topic, on behalf of these alarms only', async () => {
    const topicPolicy = Object.values(resourcesOf(stack, 'aws_sns_topic_policy'))
      .map((resource) => JSON.parse(resource.policy as string))
      .find((policy) => JSON.stringify(policy).includes('DetectorAlarms'));
    const publish = (sourceArn: string) =>
      evaluate(
        {
          principal: 'cloudwatch.amazonaws.com',
          action: 'sns:Publish',
          resource: TOPIC_ARN,
          resourceAccount: SECURITY,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SECURITY },
        },
        { resourcePolicy: topicPolicy },
      );
    await expect(publish(`arn:aws:cloudwatch:eu-west-1:${SECURITY}:alarm:acme-s3-access-detector-throttles`)).resolves.toBe('Allowed');
    await expect(publish(`arn:aws:cloudwatch:eu-west-1:${SECURITY}:alarm:something-else`)).resolves.toBe('ImplicitlyDenied');
  });
});
