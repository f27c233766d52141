import { forwardedEventPattern, forwardedEventPatterns } from '../../lib/detector/event-forwarding';
import { forwardingLocations, networkActivityBranch } from '../../lib/detector/network-activity-forwarding';
import { detectorRulePattern } from '../../lib/detector/detector-function';
import { networkActivity, networkActivityEvent, otherAccountCaller, unsignedCaller } from '../detector/network-activity-records';
import { identities, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from '../detector/records';
import { configWith, exampleConfig } from '../helpers';
import { matches } from './event-pattern';

/* Which network activity events the forwarding rules and the detector's rule let through, against real and forged events. */

const RULES = { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, bucketEnumeration: true, vpcEndpointAccess: true };
const NETWORK_ONLY = forwardedEventPatterns(WORKLOAD_ACCOUNT, [], RULES);
const forwards = (event: Record<string, unknown>) => matches(NETWORK_ONLY[0].pattern as never, event as never);

describe('the forwarding rule of an account without monitored buckets', () => {
  it('is one rule holding only the network activity branch, in the state that matches every CloudTrail event', () => {
    expect(NETWORK_ONLY).toHaveLength(1);
    expect(NETWORK_ONLY[0]).toEqual({
      pattern: { 'detail-type': ['AWS API Call via CloudTrail'], ...networkActivityBranch(WORKLOAD_ACCOUNT) },
      readOnlyManagementEvents: true,
    });
  });

  it('forwards denials, calls signed by other accounts, unsigned calls and calls on other accounts\' resources', () => {
    expect(forwards(networkActivityEvent(networkActivity(identities.instanceRole, { denied: true })))).toBe(true);
    expect(forwards(networkActivityEvent(networkActivity(otherAccountCaller(OUTSIDE_ACCOUNT))))).toBe(true);
    expect(forwards(networkActivityEvent(networkActivity(unsignedCaller)))).toBe(true);
    expect(forwards(networkActivityEvent(networkActivity({ type: 'AWSAccount', principalId: '' })))).toBe(true);
    expect(forwards(networkActivityEvent(networkActivity(identities.instanceRole, {}, { resources: [{ ARN: 'arn:aws:s3:::drop', accountId: OUTSIDE_ACCOUNT }] })))).toBe(true);
  });

  it("keeps in the account the owner's own allowed calls, which the rule would not flag", () => {
    expect(forwards(networkActivityEvent(networkActivity(identities.instanceRole)))).toBe(false);
    expect(forwards(networkActivityEvent(networkActivity(identities.apiRole, {}, { resources: [{ ARN: 'arn:aws:s3:::own', accountId: WORKLOAD_ACCOUNT }] })))).toBe(false);
  });

  it('refuses forged events: a custom source, another account, a record written for another account, or S3 data events', () => {
    const denied = networkActivity(identities.instanceRole, { denied: true });
    expect(forwards(networkActivityEvent(denied, 'acme.vpce'))).toBe(false);
    expect(forwards(networkActivityEvent(denied, 's3.amazonaws.com'))).toBe(false);
    expect(forwards({ ...networkActivityEvent(denied), account: OUTSIDE_ACCOUNT })).toBe(false);
    expect(forwards(networkActivityEvent({ ...denied, recipientAccountId: OUTSIDE_ACCOUNT }))).toBe(false);
    expect(forwards({ ...networkActivityEvent(denied), 'detail-type': 'VPC Endpoint Denied' })).toBe(false);
    expect(forwards(networkActivityEvent({ ...denied, eventCategory: 'Data' }))).toBe(false);
  });

  it('is not created when the rule is off, and the S3 branches are unchanged where buckets are monitored', () => {
    expect(forwardedEventPatterns(WORKLOAD_ACCOUNT, [], { ...RULES, vpcEndpointAccess: false })).toEqual([]);
    const withBuckets = forwardedEventPattern(WORKLOAD_ACCOUNT, ['acme-customer-records'], RULES)!;
    const without = forwardedEventPattern(WORKLOAD_ACCOUNT, ['acme-customer-records'], { ...RULES, vpcEndpointAccess: false })!;
    expect((withBuckets.pattern.$or as unknown[]).slice(0, -1)).toEqual(without.pattern.$or);
    expect((withBuckets.pattern.$or as unknown[]).at(-1)).toEqual(networkActivityBranch(WORKLOAD_ACCOUNT));
  });
});

describe('where network activity is forwarded from', () => {
  it('every account of the organization, in every enabled region, besides the bucket owners', () => {
    const config = exampleConfig();
    const locations = forwardingLocations(config);
    expect(locations).toHaveLength(5 * 3);
    expect(locations.filter((location) => location.buckets.length > 0)).toEqual([
      { accountId: WORKLOAD_ACCOUNT, accountName: 'workload-prod', region: 'eu-west-1', buckets: ['acme-customer-records'] },
    ]);
    expect(new Set(locations.map((location) => location.region))).toEqual(new Set(config.regions.enabled));
  });

  it('the bucket owners only, when the rule is off or the detector is not deployed', () => {
    expect(forwardingLocations(configWith((input) => (input.detector!.rules = { vpcEndpointAccess: false })))).toHaveLength(1);
    expect(forwardingLocations(configWith((input) => (input.detector!.enabled = false)))).toEqual([]);
  });
});

describe("the detector's rule", () => {
  it('accepts network activity of any account but only AWS sources; S3 events only from the bucket owners', () => {
    const pattern = detectorRulePattern([WORKLOAD_ACCOUNT], true);
    const network = networkActivityEvent({ ...networkActivity(otherAccountCaller(OUTSIDE_ACCOUNT)), recipientAccountId: '555555555555' });
    expect(matches(pattern as never, network as never)).toBe(true);
    expect(matches(pattern as never, { ...network, source: 'acme.forged' } as never)).toBe(false);
    const s3FromOther = { ...network, detail: { ...(network.detail as object), eventCategory: 'Data' } };
    expect(matches(pattern as never, s3FromOther as never)).toBe(false);
    expect(detectorRulePattern([WORKLOAD_ACCOUNT], false)).toEqual({
      source: [{ prefix: 'aws.' }],
      'detail-type': ['AWS API Call via CloudTrail'],
      account: [WORKLOAD_ACCOUNT],
      detail: { recipientAccountId: [WORKLOAD_ACCOUNT] },
    });
  });
});
