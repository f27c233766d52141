import { createDetector } from '../../functions/detector/detector';
import { identities, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* The instance-credentials rule's quick look before classifying: partial role sessions pass it without failing. */

describe('instance credentials, for role sessions CloudTrail writes partially', () => {
  const detector = createDetector({ ...settings, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: true, bucketEnumeration: false, vpcEndpointAccess: false } });

  it('judge a session without principal id or session context, finding nothing', () => {
    const bare = { type: 'AssumedRole', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/worker`, accountId: WORKLOAD_ACCOUNT };
    expect(detector.evaluate(objectRead(bare))).toEqual([]);
    const { sessionContext: _, ...noContext } = identities.apiRole;
    expect(detector.evaluate(objectRead(noContext))).toEqual([]);
  });

  it('still find an instance session known only by its principal id', () => {
    const { sessionContext: _, ...noContext } = identities.instanceRole;
    expect(detector.evaluate(objectRead(noContext)).map((finding) => finding.rule)).toEqual(['instance-credentials-outside-aws']);
  });

  it('judge a session as an instance only by its principal id or ec2RoleDelivery, as the forwarding rule and the hunt do', () => {
    // The event rule forwards instance sessions by principal id ("*:i-*") and the Athena hunt selects them the same
    // way: a session ARN naming an instance, under a principal id that does not, is outside the rule for all three.
    const arn = `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/i-0123456789abcdef0`;
    const issuer = { type: 'Role', arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`, userName: 'acme-web' };
    const session = (principalId: string) => ({ type: 'AssumedRole', principalId, arn, accountId: WORKLOAD_ACCOUNT, sessionContext: { sessionIssuer: issuer } });
    const outside = { sourceIPAddress: '198.51.100.7' };
    expect(detector.evaluate(objectRead(session('AROAEXAMPLEWEB000001'), {}, outside))).toEqual([]);
    expect(detector.evaluate(objectRead(session('AROAEXAMPLEWEB000001:i-0123456789abcdef0'), {}, outside)).map((finding) => finding.rule)).toEqual([
      'instance-credentials-outside-aws',
    ]);
  });
});
