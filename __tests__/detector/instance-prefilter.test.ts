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
});
