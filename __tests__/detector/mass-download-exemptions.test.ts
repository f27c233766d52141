import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { MassDownloadReplay } from '../../functions/detector/mass-download/memory-windows';
import type { MassDownloadExemption } from '../../functions/detector/mass-download/settings';
import { MassDownloadContext } from '../../functions/detector/mass-download/reads';
import { compileRuleContext } from '../../functions/detector/rules/context';
import type { DetectorSettings } from '../../functions/detector/settings';
import { objectRead, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from './records';
import { ATTACKER_ADDRESS, attacker, batchReader, RECORDS_BUCKET, seedSettings } from './seed-scenario';

/*
 * Which parts of a mass-download exemption must match before a sync is counted but never fires: the principal when
 * the exemption names principals, the network when it names networks or VPC endpoints, both when it names both.
 * Every exemption here is judged with a threshold of three reads, so a sync that is not exempt fires on its third.
 */

const START = Date.parse('2026-11-21T10:00:00Z');
const NOW = new Date('2026-11-21T12:00:00Z');
const at = (seconds: number) => new Date(START + seconds * 1000).toISOString().replace('.000Z', 'Z');

const PARTNER_ADDRESS = '192.0.2.44';
const EXEMPT_ENDPOINT = 'vpce-0fedcba9876543210';
const OTHER_ENDPOINT = 'vpce-0123456789abcdef0';

function roleSession(role: string) {
  return {
    ...attacker,
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/${role}/session`,
    sessionContext: { ...attacker.sessionContext, sessionIssuer: { ...attacker.sessionContext.sessionIssuer, arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/${role}`, userName: role } },
  };
}

function withExemptions(exemptions: MassDownloadExemption[]): MassDownloadReplay {
  const settings: DetectorSettings = { ...seedSettings, massDownload: { ...seedSettings.massDownload!, readThreshold: 3, exemptions } };
  return new MassDownloadReplay(new MassDownloadContext(settings.massDownload!, compileRuleContext(settings)));
}

/** Three reads of the monitored bucket, one second apart: the findings they yield. */
function sync(rule: MassDownloadReplay, identity: object, origin: Record<string, unknown>) {
  return [0, 1, 2].flatMap((seconds) => {
    const record = objectRead(identity, { bucket: RECORDS_BUCKET, key: `exports/${seconds}-${Math.random()}.json` }, { eventTime: at(seconds), ...origin });
    return rule.observe(record as unknown as CloudTrailRecord, NOW).findings;
  });
}

describe('mass download exemptions: principal and network together', () => {
  const both = () => withExemptions(seedSettings.massDownload!.exemptions as MassDownloadExemption[]);

  it('stays quiet for the exempt role inside the exempt network', () => {
    expect(sync(both(), batchReader, { sourceIPAddress: '10.20.30.40' })).toEqual([]);
  });

  it('fires for any other role reading from the exempt network: the network alone exempts nobody', () => {
    // A compromised host inside 10.0.0.0/8 is where an attacker syncs from: only the batch role is trusted there.
    const findings = sync(both(), attacker, { sourceIPAddress: '10.20.30.40' });
    expect(findings).toHaveLength(1);
    expect(findings[0].who.roleArn).toBe(`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-reporting`);
  });
});

describe('mass download exemptions: by principal only', () => {
  const partner = roleSession('acme-partner-sync');
  const byPrincipal = () => withExemptions([{ principals: [`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-partner-sync`] }]);

  it('stays quiet for the exempt role from any address, public or through any VPC endpoint', () => {
    expect(sync(byPrincipal(), partner, { sourceIPAddress: PARTNER_ADDRESS })).toEqual([]);
    expect(sync(byPrincipal(), partner, { sourceIPAddress: '10.1.2.3', vpcEndpointId: OTHER_ENDPOINT, vpcEndpointAccountId: OUTSIDE_ACCOUNT })).toEqual([]);
  });

  it('still fires for another role from the same address', () => {
    expect(sync(byPrincipal(), attacker, { sourceIPAddress: PARTNER_ADDRESS })).toHaveLength(1);
  });
});

describe('mass download exemptions: by VPC endpoint only', () => {
  const byEndpoint = () => withExemptions([{ vpcEndpoints: [EXEMPT_ENDPOINT] }]);

  it('stays quiet for whoever reads through the exempt endpoint, whatever its private address', () => {
    expect(sync(byEndpoint(), attacker, { sourceIPAddress: '10.1.2.3', vpcEndpointId: EXEMPT_ENDPOINT, vpcEndpointAccountId: WORKLOAD_ACCOUNT })).toEqual([]);
  });

  it('fires for the same reads through another endpoint of the organization, or from an address outside', () => {
    expect(sync(byEndpoint(), attacker, { sourceIPAddress: '10.1.2.3', vpcEndpointId: OTHER_ENDPOINT, vpcEndpointAccountId: WORKLOAD_ACCOUNT })).toHaveLength(1);
    expect(sync(byEndpoint(), attacker, { sourceIPAddress: ATTACKER_ADDRESS })).toHaveLength(1);
  });

  it('counts the exempt reads all the same', () => {
    const rule = byEndpoint();
    sync(rule, attacker, { sourceIPAddress: '10.1.2.3', vpcEndpointId: EXEMPT_ENDPOINT, vpcEndpointAccountId: WORKLOAD_ACCOUNT });
    // The fourth read of the window, from outside, sees the three exempt ones before it and fires.
    const record = objectRead(attacker, { bucket: RECORDS_BUCKET, key: 'exports/last.json' }, { eventTime: at(3), sourceIPAddress: ATTACKER_ADDRESS });
    const { findings, judgements } = rule.observe(record as unknown as CloudTrailRecord, NOW);
    expect(judgements[0]).toMatchObject({ window: { reads: 4 }, read: { exempt: false } });
    expect(findings).toHaveLength(1);
  });
});
