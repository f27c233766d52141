import type { DrillSettings } from '../../functions/detector/drill';
import { createHandler, type Notification } from '../../functions/detector/handler';
import type { DetectorSettings } from '../../functions/detector/settings';
import { objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* The detection drill as the detector tests see it: one canary in the workload account, and its role's session. */

export const NOW = new Date('2026-11-21T10:16:00.000Z');

export const DRILL_ROLE_ARN = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-drill`;
export const CANARY_KEY = 'customers/detector-drill-canary';
export const CANARY_BUCKET = 'acme-customer-records';

export const drill: DrillSettings = {
  canaries: [{ bucket: CANARY_BUCKET, key: CANARY_KEY, accountId: WORKLOAD_ACCOUNT, region: 'eu-west-1', roleArn: DRILL_ROLE_ARN }],
};

/** A session of the drill role, as CloudTrail writes the runner's assumed-role session. */
export const drillRole = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEDRILL0001:detection-drill',
  arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-detector-drill/detection-drill`,
  accountId: WORKLOAD_ACCOUNT,
  accessKeyId: 'ASIAEXAMPLEDRILL0001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEDRILL0001', arn: DRILL_ROLE_ARN, accountId: WORKLOAD_ACCOUNT, userName: 'acme-detector-drill' },
    attributes: { creationDate: '2026-11-21T10:14:59Z', mfaAuthenticated: 'false' },
  },
};

/** The drill's read of its canary from the runner's (Lambda's) public address; `overrides` replace record fields. */
export function canaryRead(
  overrides: Record<string, unknown> = {},
  object: { bucket?: string; key?: string; eventName?: string } = {},
  identity: object = drillRole,
): Record<string, unknown> {
  return objectRead(identity, { key: CANARY_KEY, ...object }, { sourceIPAddress: '52.95.150.10', userAgent: 'aws-sdk-js/3.1169.0', ...overrides });
}

/** The detector's handler with the drill configured, recording what it publishes, revokes and logs. */
export function drillHarness(overrides: Partial<DetectorSettings> = {}) {
  const published: Notification[] = [];
  const revoked: unknown[] = [];
  const logs: string[] = [];
  const handler = createHandler({
    settings: { ...settings, drill, ...overrides },
    publish: async (notification) => {
      published.push(notification);
    },
    revoke: async (plan) => {
      revoked.push(plan);
      return 'apply' as const;
    },
    log: (line) => logs.push(line),
    now: () => NOW,
  });
  return { handler, published, revoked, logs: () => logs.map((line) => JSON.parse(line)) };
}
