import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { MassDownloadReplay } from '../../functions/detector/mass-download/memory-windows';
import { MassDownloadContext, USER_AGENT_LIMIT } from '../../functions/detector/mass-download/reads';
import { compileRuleContext } from '../../functions/detector/rules/context';
import type { DetectorSettings } from '../../functions/detector/settings';
import { identities, objectRead, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from './records';
import { ATTACKER_ADDRESS, attacker, RECORDS_BUCKET, seedSettings } from './seed-scenario';

/*
 * What the mass-download rule keeps of each read it counts: the principal the read is counted for, and the source and
 * user agent a finding lists as evidence. A record may leave out or empty any of these fields: the read still counts.
 */

const START = Date.parse('2026-11-21T10:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z');

const small: DetectorSettings = { ...seedSettings, massDownload: { ...seedSettings.massDownload!, readThreshold: 3 } };
const context = () => new MassDownloadContext(small.massDownload!, compileRuleContext(small));

/** A read of the monitored bucket; `without` lists fields CloudTrail left out of the record. */
function read(seconds: number, identity: object = attacker, overrides: Record<string, unknown> = {}, without: string[] = []): CloudTrailRecord {
  const record = objectRead(identity, { bucket: RECORDS_BUCKET, key: `exports/${seconds}-${Math.random()}.json` }, { eventTime: at(seconds), ...overrides });
  for (const field of without) delete record[field];
  return record as unknown as CloudTrailRecord;
}

/** The finding of a sync of three reads with the same origin and agent fields. */
function findingOfSync(overrides: Record<string, unknown>, without: string[] = []) {
  const rule = new MassDownloadReplay(context());
  const findings = [0, 1, 2].flatMap((seconds) => rule.observe(read(seconds, attacker, overrides, without), NOW).findings);
  expect(findings).toHaveLength(1);
  return findings[0];
}

describe('mass download reads: the source a finding lists', () => {
  it('lists the VPC endpoint a read came through, not the private address behind it', () => {
    // 10.1.2.3 means nothing outside the endpoint's VPC: the endpoint id says where the sync ran.
    const finding = findingOfSync({ sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0123456789abcdef0', vpcEndpointAccountId: OUTSIDE_ACCOUNT });
    expect(finding.volume?.sourceIps).toEqual(['vpce-0123456789abcdef0']);
  });

  it('lists the address when the record has an empty VPC endpoint field', () => {
    expect(findingOfSync({ sourceIPAddress: ATTACKER_ADDRESS, vpcEndpointId: '' }).volume?.sourceIps).toEqual([ATTACKER_ADDRESS]);
  });

  it('counts a read whose record has no source address, and lists no source for it', () => {
    expect(findingOfSync({}, ['sourceIPAddress']).volume).toMatchObject({ reads: 3, sourceIps: [] });
  });

  it('lists no empty source for a record with an empty address', () => {
    expect(findingOfSync({ sourceIPAddress: '' }).volume).toMatchObject({ reads: 3, sourceIps: [] });
  });
});

describe('mass download reads: the user agent a finding lists', () => {
  it('keeps only the first characters of a long user agent: it is the caller\'s free text', () => {
    const agent = `aws-cli/2.17.0 ${'x'.repeat(2 * USER_AGENT_LIMIT)}`;
    const finding = findingOfSync({ sourceIPAddress: ATTACKER_ADDRESS, userAgent: agent });
    expect(finding.volume?.userAgents).toEqual([agent.slice(0, USER_AGENT_LIMIT)]);
    expect(USER_AGENT_LIMIT).toBe(256);
  });

  it('counts a read whose record has no user agent, and lists none for it', () => {
    expect(findingOfSync({ sourceIPAddress: ATTACKER_ADDRESS }, ['userAgent']).volume).toMatchObject({ reads: 3, userAgents: [] });
  });
});

describe('mass download reads: the principal a read is counted for', () => {
  it('counts a caller without an ARN by its account, kind and name', () => {
    // The key of the counts kept between invocations: it must not change from one version of the function to the next.
    const crossAccount = { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOTHER0001', accountId: OUTSIDE_ACCOUNT };
    expect(context().readsOf(read(0, crossAccount), NOW).map((counted) => counted.principal)).toEqual([`${OUTSIDE_ACCOUNT}:other-account:account ${OUTSIDE_ACCOUNT}`]);
    expect(context().readsOf(read(0, identities.anonymous), NOW).map((counted) => counted.principal)).toEqual([':anonymous:anonymous']);
  });

  it('counts the role behind a session for all its sessions together', () => {
    expect(context().readsOf(read(0), NOW).map((counted) => counted.principal)).toEqual([`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-reporting`]);
  });

  it('counts anonymous reads and another account\'s reads apart', () => {
    const rule = new MassDownloadReplay(context());
    const crossAccount = { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOTHER0001', accountId: OUTSIDE_ACCOUNT };
    // Two reads each: four in the window, yet neither caller reached three.
    const findings = [0, 1].flatMap((seconds) => [
      ...rule.observe(read(seconds, identities.anonymous, { sourceIPAddress: ATTACKER_ADDRESS }), NOW).findings,
      ...rule.observe(read(seconds, crossAccount, { sourceIPAddress: ATTACKER_ADDRESS }), NOW).findings,
    ]);
    expect(findings).toEqual([]);
  });
});
