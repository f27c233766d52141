import { Testing } from 'cdktf';
import { DEAD_LETTER_RETENTION_SECONDS } from '../../lib/common/dead-letter-queue';
import { FindingsRouting } from '../../lib/findings/findings-routing';
import { BaselineNames } from '../../lib/naming';
import {
  GUARDDUTY_MESSAGE,
  guardDutyFindingPattern,
  labelsAtOrAbove,
  securityHubFindingPattern,
  securityHubMessage,
  UNDELIVERED_FINDINGS_MESSAGE,
  undeliveredFindingsPattern,
} from '../../lib/findings/finding-events';
import { configWith, resourcesOf, type SynthesizedStack, synthStack } from '../helpers';
import { evaluate } from '../policy/simulate';

/* Findings reach people: from every region, at or above the threshold, retried, and kept when they cannot be delivered. */

const SECURITY = '333333333333';
const HOME = 'eu-west-1';
const OTHERS = ['eu-central-1', 'us-east-1'];
const config = configWith((input) => {
  input.notifications = { emails: ['security-alerts@example.com'], httpsEndpoints: ['https://tickets.example.com/hooks/aws'] };
  input.securityServices = { findingsSeverityThreshold: 'MEDIUM' };
});
const stack = synthStack('security', config);
const values = (type: string) => Object.values(resourcesOf(stack, type)) as Array<Record<string, any>>;
const rules = values('aws_cloudwatch_event_rule').filter((rule) => String(rule.name).endsWith('-findings'));
const targetsOf = (rule: Record<string, any>) => {
  const logicalId = Object.entries(resourcesOf(stack, 'aws_cloudwatch_event_rule')).find(([, each]) => each === rule)![0];
  return values('aws_cloudwatch_event_target').filter((target) => target.rule === `\${aws_cloudwatch_event_rule.${logicalId}.name}`);
};
const queueByRef = (ref: string) => {
  const logicalId = /^\$\{aws_sqs_queue\.([^.]+)\.arn\}$/.exec(ref)![1];
  return resourcesOf(stack, 'aws_sqs_queue')[logicalId] as Record<string, any>;
};

describe('severity threshold', () => {
  it('maps a label to the GuardDuty score floor and to the Security Hub labels at or above it', () => {
    expect(labelsAtOrAbove('HIGH')).toEqual(['HIGH', 'CRITICAL']);
    expect(labelsAtOrAbove('LOW')).toEqual(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
    expect(guardDutyFindingPattern('HIGH')).toMatchObject({ detail: { severity: [{ numeric: ['>=', 7] }] } });
    expect(guardDutyFindingPattern('CRITICAL')).toMatchObject({ detail: { severity: [{ numeric: ['>=', 9] }] } });
  });

  it('leaves GuardDuty out of the Security Hub rule, and only sends active, untriaged findings', () => {
    const findings = (securityHubFindingPattern('HIGH') as { detail: { findings: Record<string, unknown> } }).detail.findings;
    expect(findings).toEqual({
      Severity: { Label: ['HIGH', 'CRITICAL'] },
      Workflow: { Status: ['NEW'] },
      RecordState: ['ACTIVE'],
      ProductName: [{ 'anything-but': 'GuardDuty' }],
    });
  });
});

describe('rules in the home region', () => {
  it('send GuardDuty and Security Hub findings at or above the configured severity to the findings topic', () => {
    const home = rules.filter((rule) => rule.region === HOME);
    expect(home.map((rule) => rule.name).sort()).toEqual(['acme-guardduty-findings', 'acme-securityhub-findings', 'acme-undelivered-findings']);
    const guardDuty = home.find((rule) => rule.name === 'acme-guardduty-findings')!;
    expect(JSON.parse(guardDuty.event_pattern)).toEqual(guardDutyFindingPattern('MEDIUM'));
    const securityHub = home.find((rule) => rule.name === 'acme-securityhub-findings')!;
    expect(JSON.parse(securityHub.event_pattern)).toEqual(securityHubFindingPattern('MEDIUM'));
    const [topic] = values('aws_sns_topic').filter((each) => each.name === 'acme-security-findings');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    for (const rule of home) {
      const [target] = targetsOf(rule);
      expect(target.arn).toMatch(/^\$\{aws_sns_topic\.FindingsRouting_Topic_/);
      expect(target.retry_policy).toEqual({ maximum_event_age_in_seconds: 86400, maximum_retry_attempts: 185 });
      expect(queueByRef(target.dead_letter_config.arn).region).toBe(HOME);
    }
  });

  it('can be encrypted by EventBridge, which sends no source keys to KMS; the topic policy still names the rules', async () => {
    const keyPolicy = JSON.parse(
      String(values('aws_kms_key').find((key) => String(key.description).includes('acme-security-findings'))!.policy),
    );
    const generate = () =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'kms:GenerateDataKey',
          resource: `arn:aws:kms:${HOME}:${SECURITY}:key/0a1b2c3d-1111-2222-3333-444455556666`,
          resourceAccount: SECURITY,
        },
        { resourcePolicy: keyPolicy },
      );
    await expect(generate()).resolves.toBe('Allowed');
    const [topicPolicy] = values('aws_sns_topic_policy').filter((policy) => String(policy.policy).includes('acme-security-findings'));
    const publish = JSON.parse(String(topicPolicy.policy)).Statement.find((statement: any) => statement.Effect === 'Allow');
    expect(publish.Condition.StringEquals['aws:SourceAccount']).toBe(SECURITY);
  });

  it('reach every configured subscriber', () => {
    const subscriptions = values('aws_sns_topic_subscription').filter((each) => String(each.topic_arn).includes('FindingsRouting'));
    expect(subscriptions.map((each) => [each.protocol, each.endpoint]).sort()).toEqual([
      ['email', 'security-alerts@example.com'],
      ['https', 'https://tickets.example.com/hooks/aws'],
    ]);
  });

  it('say what, where, how severe, with a console link, from fields the transformer extracts', () => {
    for (const message of [GUARDDUTY_MESSAGE, securityHubMessage(HOME)]) {
      const text = JSON.parse(message.inputTemplate) as string;
      const placeholders = [...text.matchAll(/<([a-z]+)>/g)].map((match) => match[1]);
      expect(new Set(placeholders)).toEqual(new Set(Object.keys(message.inputPaths)));
      expect(placeholders).toEqual(expect.arrayContaining(['title', 'severity', 'account', 'region']));
      expect(text).toMatch(/Console: https:\/\/[^ ]+\.console\.aws\.amazon\.com\//);
    }
    const synthesized = values('aws_cloudwatch_event_target').find((target) => target.input_transformer?.input_paths?.type === '$.detail.type');
    expect(synthesized?.input_transformer.input_template).toBe(GUARDDUTY_MESSAGE.inputTemplate);
  });
});

describe('GuardDuty findings of the other regions', () => {
  it('are forwarded to the home region default bus, with retries and a dead-letter queue of their own region', () => {
    const forwards = rules.filter((rule) => rule.name === 'acme-guardduty-forward-findings');
    expect(forwards.map((rule) => rule.region).sort()).toEqual(OTHERS);
    for (const rule of forwards) {
      expect(JSON.parse(rule.event_pattern)).toEqual(guardDutyFindingPattern('MEDIUM'));
      const [target] = targetsOf(rule);
      expect(target.arn).toBe(`arn:aws:events:${HOME}:${SECURITY}:event-bus/default`);
      expect(target.role_arn).toMatch(/^\$\{aws_iam_role\.FindingsRouting_ForwarderRole/);
      expect(target.retry_policy.maximum_retry_attempts).toBe(185);
      expect(queueByRef(target.dead_letter_config.arn).region).toBe(rule.region);
    }
  });

  it('use a role that only EventBridge of this account assumes and that can only put events on the home bus', async () => {
    const role = values('aws_iam_role').find((each) => each.name === 'acme-findings-forwarder')!;
    const [policy] = values('aws_iam_role_policy').filter((each) => String(each.role).includes('FindingsRouting_ForwarderRole'));
    const identity = JSON.parse(policy.policy);
    const put = (resource: string) =>
      evaluate(
        { principal: `arn:aws:sts::${SECURITY}:assumed-role/acme-findings-forwarder/events`, action: 'events:PutEvents', resource, resourceAccount: SECURITY },
        { identityPolicies: [identity] },
      );
    await expect(put(`arn:aws:events:${HOME}:${SECURITY}:event-bus/default`)).resolves.toBe('Allowed');
    await expect(put(`arn:aws:events:us-east-1:${SECURITY}:event-bus/default`)).resolves.toBe('ImplicitlyDenied');
    const assume = (sourceAccount: string) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${SECURITY}:role/acme-findings-forwarder`,
          resourceAccount: SECURITY,
          context: { 'aws:SourceAccount': sourceAccount },
        },
        { resourcePolicy: JSON.parse(role.assume_role_policy) },
      );
    await expect(assume(SECURITY)).resolves.toBe('Allowed');
    await expect(assume('999999999999')).resolves.toBe('ImplicitlyDenied');
  });
});

describe('dead-letter queues', () => {
  const queues = values('aws_sqs_queue').filter((queue) => String(queue.name).startsWith('acme-findings-dlq-'));

  it('exist in every enabled region, KMS-encrypted with a rotating key and kept 14 days', () => {
    expect(queues.map((queue) => queue.region).sort()).toEqual([...OTHERS, HOME].sort());
    const keys = resourcesOf(stack, 'aws_kms_key');
    for (const queue of queues) {
      expect(queue.message_retention_seconds).toBe(DEAD_LETTER_RETENTION_SECONDS);
      expect(DEAD_LETTER_RETENTION_SECONDS).toBe(1209600);
      const keyId = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(queue.kms_master_key_id)![1];
      expect(keys[keyId]).toMatchObject({ enable_key_rotation: true, region: queue.region });
    }
  });

  it('accept messages only from this account\'s finding rules, and only over TLS', async () => {
    const policies = values('aws_sqs_queue_policy').filter((each) => String(each.queue_url).includes('FindingsRouting_DeadLetters'));
    expect(policies).toHaveLength(queues.length);
    const policy = JSON.parse(policies.find((each) => each.region === 'us-east-1')!.policy);
    const queueArn = `arn:aws:sqs:us-east-1:${SECURITY}:acme-findings-dlq-us-east-1`;
    const send = (sourceArn: string, secureTransport = true) =>
      evaluate(
        {
          principal: 'events.amazonaws.com',
          action: 'sqs:SendMessage',
          resource: queueArn,
          resourceAccount: SECURITY,
          secureTransport,
          context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': SECURITY },
        },
        { resourcePolicy: policy },
      );
    await expect(send(`arn:aws:events:us-east-1:${SECURITY}:rule/acme-guardduty-forward-findings`)).resolves.toBe('Allowed');
    await expect(send(`arn:aws:events:us-east-1:${SECURITY}:rule/acme-guardduty-forward-findings`, false)).resolves.toBe('ExplicitlyDenied');
    await expect(send(`arn:aws:events:us-east-1:${SECURITY}:rule/someone-elses-rule`)).resolves.toBe('ImplicitlyDenied');
  });
});

describe('undelivered findings', () => {
  it('raise an alarm per dead-letter queue as soon as one message waits', () => {
    const alarms = values('aws_cloudwatch_metric_alarm').filter((alarm) => String(alarm.alarm_name).startsWith('acme-findings-dlq-'));
    expect(alarms.map((alarm) => alarm.region).sort()).toEqual([...OTHERS, HOME].sort());
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: alarm.alarm_name },
        threshold: 0,
        comparison_operator: 'GreaterThanThreshold',
      });
    }
  });

  it('include every queue of the security account that holds failures: the detector\'s failed invocations and undelivered events', () => {
    const queues = values('aws_sqs_queue').map((queue) => String(queue.name));
    const alarms = values('aws_cloudwatch_metric_alarm').filter((alarm) => alarm.namespace === 'AWS/SQS');
    expect(queues).toEqual(expect.arrayContaining(['acme-s3-access-detector-failed-invocations', 'acme-s3-access-detector-undelivered']));
    expect(alarms.map((alarm) => alarm.dimensions.QueueName).sort()).toEqual([...queues].sort());
    const home = rules.find((rule) => rule.name === 'acme-undelivered-findings')!;
    const watched = JSON.parse(home.event_pattern).detail.alarmName as Array<string | { prefix: string }>;
    for (const alarm of alarms) {
      const name = String(alarm.alarm_name);
      expect(watched.some((entry) => (typeof entry === 'string' ? entry === name : name.startsWith(entry.prefix)))).toBe(true);
    }
  });

  it('reach people like findings: forwarded from every other region, sent on from the home region', () => {
    const pattern = undeliveredFindingsPattern('acme-findings-dlq-', [
      'acme-s3-access-detector-failed-invocations',
      'acme-s3-access-detector-undelivered',
      'acme-forward-s3-data-events-undelivered',
    ]);
    const home = rules.find((rule) => rule.name === 'acme-undelivered-findings')!;
    expect(home.region).toBe(HOME);
    expect(JSON.parse(home.event_pattern)).toEqual(pattern);
    expect(targetsOf(home)[0].input_transformer.input_template).toBe(UNDELIVERED_FINDINGS_MESSAGE.inputTemplate);
    const forwards = rules.filter((rule) => rule.name === 'acme-undelivered-forward-findings');
    expect(forwards.map((rule) => rule.region).sort()).toEqual(OTHERS);
    for (const rule of forwards) {
      expect(JSON.parse(rule.event_pattern)).toEqual(pattern);
      expect(targetsOf(rule)[0].arn).toBe(`arn:aws:events:${HOME}:${SECURITY}:event-bus/default`);
    }
    const text = JSON.parse(UNDELIVERED_FINDINGS_MESSAGE.inputTemplate) as string;
    const placeholders = [...text.matchAll(/<([a-z]+)>/g)].map((match) => match[1]);
    expect(new Set(placeholders)).toEqual(new Set(Object.keys(UNDELIVERED_FINDINGS_MESSAGE.inputPaths)));
  });
});

describe('a single-region organization', () => {
  it('needs no forwarding', () => {
    const singleRegion = configWith((input) => {
      input.regions = { home: HOME, enabled: [HOME] };
    });
    const single = JSON.parse(
      Testing.synthScope((scope) => {
        new FindingsRouting(scope, 'FindingsRouting', { config: singleRegion, names: new BaselineNames(singleRegion), accountId: SECURITY });
      }),
    ) as SynthesizedStack;
    const ruleNames = Object.values(resourcesOf(single, 'aws_cloudwatch_event_rule')).map((rule) => rule.name);
    expect(ruleNames.sort()).toEqual(['acme-guardduty-findings', 'acme-securityhub-findings', 'acme-undelivered-findings']);
    expect(resourcesOf(single, 'aws_iam_role')).toEqual({});
    expect(Object.keys(resourcesOf(single, 'aws_sqs_queue'))).toHaveLength(1);
  });
});
