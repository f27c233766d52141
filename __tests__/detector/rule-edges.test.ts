import { createDetector } from '../../functions/detector/detector';
import { compileKeyPatterns } from '../../functions/detector/patterns';
import { identities, listBuckets, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

/* Each rule's own guards, and what its finding says, beyond the shared matchers. */

const only = (rule: 'instanceCredentialsOutsideAws' | 'bucketEnumeration' | 'sensitiveObjectAccess') =>
  createDetector({ ...settings, rules: { sensitiveObjectAccess: false, instanceCredentialsOutsideAws: false, bucketEnumeration: false, vpcEndpointAccess: false, [rule]: true } });

describe('instance credentials used outside AWS', () => {
  const detector = only('instanceCredentialsOutsideAws');

  it('names the instance, the address and the object read', () => {
    const [finding] = detector.evaluate(objectRead(identities.instanceRole, { key: 'public/logo.png' }));
    expect(finding.reason).toBe('instance role credentials of i-0abc1234def567890 used from 198.51.100.7, outside the authorized networks and VPC endpoints');
    expect(finding.what).toMatchObject({ bucket: 'acme-customer-records', key: 'public/logo.png' });
  });

  it('says so when the instance or the address is not in the record', () => {
    const delivered = { ...identities.instanceRole, principalId: 'AROAEXAMPLEWEB000001:worker', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/worker` };
    const [finding] = detector.evaluate(objectRead(delivered, {}, { sourceIPAddress: undefined }));
    expect(finding.reason).toBe('instance role credentials used from an unknown address, outside the authorized networks and VPC endpoints');
  });

  it('names no object for a call without one, and no key when the call names none', () => {
    expect(detector.evaluate(listBuckets(identities.instanceRole))[0].what).toMatchObject({ bucket: undefined, key: undefined });
    expect(detector.evaluate(objectRead(identities.instanceRole, {}, { requestParameters: null }))[0].what).toMatchObject({ bucket: undefined, key: undefined });
    const bucketOnly = objectRead(identities.instanceRole, { eventName: 'ListObjects' }, { requestParameters: { bucketName: 'acme-customer-records' } });
    expect(detector.evaluate(bucketOnly)[0].what).toMatchObject({ bucket: 'acme-customer-records', key: undefined });
    const dynamo = objectRead(identities.instanceRole, {}, { eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', requestParameters: { bucketName: 7, key: { id: 1 } } });
    expect(detector.evaluate(dynamo)[0].what).toMatchObject({ bucket: undefined, key: undefined });
    const numericKey = objectRead(identities.instanceRole, {}, { eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', requestParameters: { bucketName: 'b', key: { id: 1 } } });
    expect(detector.evaluate(numericKey)[0].what).toMatchObject({ bucket: 'b', key: undefined });
  });

  it('never takes a role session named like an instance, or any other caller, for instance credentials', () => {
    const lookalike = { ...identities.apiRole, principalId: 'AROAEXAMPLEAPI000001:i-am-admin', arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-records-api/i-am-admin` };
    expect(detector.evaluate(objectRead(lookalike))).toEqual([]);
    expect(detector.evaluate(objectRead({ ...identities.iamUser, principalId: 'AIDAEXAMPLE:i-0abc1234def567890' }))).toEqual([]);
    const linkedOnInstance = { ...identities.serviceLinkedRole, sessionContext: { ...identities.serviceLinkedRole.sessionContext, ec2RoleDelivery: '2.0' } };
    expect(detector.evaluate(objectRead(linkedOnInstance))).toEqual([]);
  });
});

describe('bucket enumeration', () => {
  it('is a ListBuckets call to S3 only', () => {
    const detector = only('bucketEnumeration');
    expect(detector.evaluate(listBuckets(identities.iamUser)).map((finding) => finding.rule)).toEqual(['bucket-enumeration']);
    expect(detector.evaluate(listBuckets(identities.iamUser, { eventSource: 'lightsail.amazonaws.com' }))).toEqual([]);
    expect(detector.evaluate(listBuckets(identities.iamUser, { eventName: 'ListObjects' }))).toEqual([]);
  });
});

describe('rule toggles', () => {
  it('run exactly the rules switched on, in a detector made for them', () => {
    const record = objectRead(identities.instanceRole);
    expect(only('instanceCredentialsOutsideAws').evaluate(record).map((finding) => finding.rule)).toEqual(['instance-credentials-outside-aws']);
    expect(only('sensitiveObjectAccess').evaluate(record).map((finding) => finding.rule)).toEqual(['sensitive-object-access']);
    expect(only('bucketEnumeration').evaluate(record)).toEqual([]);
  });
});

describe('key patterns', () => {
  it('take a pattern ending in "keyword:" as a glob', () => {
    expect(compileKeyPatterns(['notes/keyword:'])('notes/keyword:')).toBe(true);
    expect(compileKeyPatterns(['notes/keyword:'])('other/notes/keyword:')).toBe(false);
  });
});
