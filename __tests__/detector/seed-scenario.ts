import type { DetectorSettings } from '../../functions/detector/settings';
import { listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/*
 * The breach the mass-download rule exists for, as CloudTrail records it: stolen role credentials list the buckets,
 * then an "aws s3 sync" copies two monitored buckets out from one address within minutes. Beside it, a nightly batch
 * job (exempt) reads as much, and must stay quiet.
 */

export const PAYROLL_BUCKET = 'acme-payroll-exports';
export const RECORDS_BUCKET = 'acme-customer-records';
export const ATTACKER_ADDRESS = '198.51.100.66';
export const SYNC_AGENT = 'aws-cli/2.17.0 md/command#s3.sync';

function roleSession(role: string, session: string) {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE${role.length}:${session}`,
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLESYNC00001',
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: `AROAEXAMPLE${role.length}`, arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${role}`, accountId: WORKLOAD_ACCOUNT, userName: role },
      attributes: { creationDate: '2026-11-21T09:55:00Z', mfaAuthenticated: 'false' },
    },
  };
}

export const attacker = roleSession('acme-reporting', 'stolen');
export const batchReader = roleSession('acme-batch-nightly', 'run-2026-11-21');

/** The monitored buckets and the mass-download rule as the scenario's configuration has them. */
export const seedSettings: DetectorSettings = {
  ...settings,
  monitoredBuckets: [...settings.monitoredBuckets, { name: PAYROLL_BUCKET, keyPatterns: ['*.csv'] }],
  massDownload: {
    windowSeconds: 600,
    readThreshold: 100,
    sharePercent: 20,
    minimumReadsForShare: 10,
    buckets: [{ name: PAYROLL_BUCKET, objectCount: 200 }],
    exemptions: [{ principals: [`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-batch-*`], cidrs: ['10.0.0.0/8'] }],
  },
};

const at = (seconds: number) => new Date(Date.parse('2026-11-21T10:00:00Z') + seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The records in the order CloudTrail would deliver them: 150 reads of one bucket, 60 (30%) of the other. */
export function seedScenario(): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [listBuckets(attacker, { sourceIPAddress: ATTACKER_ADDRESS, userAgent: SYNC_AGENT, eventTime: at(0) })];
  for (let index = 0; index < 150; index++) {
    records.push(
      objectRead(attacker, { bucket: RECORDS_BUCKET, key: `exports/2026/part-${String(index).padStart(4, '0')}.json` }, {
        sourceIPAddress: ATTACKER_ADDRESS,
        userAgent: SYNC_AGENT,
        eventTime: at(5 + index),
      }),
    );
  }
  for (let index = 0; index < 60; index++) {
    records.push(
      objectRead(attacker, { bucket: PAYROLL_BUCKET, key: `2026/11/payroll-${index}.csv` }, { sourceIPAddress: ATTACKER_ADDRESS, userAgent: SYNC_AGENT, eventTime: at(170 + index) }),
    );
  }
  for (let index = 0; index < 120; index++) {
    records.push(
      objectRead(batchReader, { bucket: RECORDS_BUCKET, key: `exports/2026/part-${String(index).padStart(4, '0')}.json` }, {
        sourceIPAddress: '10.20.30.40',
        userAgent: 'aws-sdk-java/2.25.0',
        eventTime: at(10 + index),
      }),
    );
  }
  return records;
}
