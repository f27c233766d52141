import { MalformedEventError } from '../../functions/detector/cloudtrail';
import { createDetector } from '../../functions/detector/detector';
import { createHandler } from '../../functions/detector/handler';
import { eventBridgeEvent, identities, listBuckets, objectRead, settings } from './records';

const detector = createDetector(settings);

/** A record with one field replaced, at a dotted path ("userIdentity.sessionContext.sessionIssuer.arn"). */
function withField(record: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(record);
  const steps = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const step of steps.slice(0, -1)) target = target[step] as Record<string, unknown>;
  target[steps[steps.length - 1]] = value;
  return copy;
}

function malformation(record: unknown): string {
  try {
    detector.evaluate(record);
  } catch (error) {
    if (error instanceof MalformedEventError) return error.reason;
    throw error;
  }
  return 'judged';
}

describe('the record boundary', () => {
  const read = objectRead(identities.instanceRole);
  const cases: [string, unknown, string][] = [
    ['sourceIPAddress', 198, '"sourceIPAddress" is a number, expected a string'],
    ['sourceIPAddress', ['198.51.100.7'], '"sourceIPAddress" is an array, expected a string'],
    ['vpcEndpointId', { id: 'vpce-1' }, '"vpcEndpointId" is an object, expected a string'],
    ['eventTime', 1764000000, '"eventTime" is a number, expected a string'],
    ['userIdentity', 'AssumedRole', '"userIdentity" is a string, expected an object'],
    ['userIdentity.principalId', 7, '"userIdentity.principalId" is a number, expected a string'],
    ['userIdentity.sessionContext', 'x', '"userIdentity.sessionContext" is a string, expected an object'],
    ['userIdentity.sessionContext.sessionIssuer.arn', ['arn:aws:iam::1:role/a'], '"userIdentity.sessionContext.sessionIssuer.arn" is an array, expected a string'],
    ['userIdentity.sessionContext.ec2RoleDelivery', 2, '"userIdentity.sessionContext.ec2RoleDelivery" is a number, expected a string'],
    ['requestParameters', 'bucket/key', '"requestParameters" is a string, expected an object or null'],
    ['requestParameters.key', { path: 'customers/1' }, '"requestParameters.key" is an object, expected a string'],
    ['resources', { type: 'AWS::S3::Object' }, '"resources" is an object, expected an array'],
    ['resources', [{ type: 'AWS::S3::Object', ARN: 5 }], '"resources[0].ARN" is a number, expected a string'],
  ];

  it.each(cases)('rejects a record whose %s is %j, naming the field and the type', (path, value, reason) => {
    expect(malformation(withField(read, path, value))).toBe(reason);
  });

  it('still judges records whose other services use the same parameter names for other types', () => {
    const dynamo = { ...listBuckets(identities.apiRole), eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', requestParameters: { key: { id: { S: '1' } } } };
    expect(malformation(dynamo)).toBe('judged');
    expect(malformation({ ...read, requestParameters: null })).toBe('judged');
  });

  it('counts a record of the wrong shape as a malformed event in the Lambda, with its event id', async () => {
    const logs: string[] = [];
    const handler = createHandler({ settings, publish: async () => undefined, revoke: async () => 'apply' as const, log: (line) => logs.push(line) });
    const record = withField(read, 'sourceIPAddress', 198);
    await expect(handler(eventBridgeEvent(record))).rejects.toBeInstanceOf(MalformedEventError);
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0])).toMatchObject({ level: 'ERROR', eventId: record.eventID, MalformedEvents: 1, reason: '"sourceIPAddress" is a number, expected a string' });
  });
});

describe('every field the rules read, checked for its type', () => {
  const record = objectRead(identities.instanceRole, {}, {
    vpcEndpointId: 'vpce-0a1b2c3d4e5f60718',
    vpcEndpointAccountId: '444444444444',
    errorCode: 'AccessDenied',
    resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/customers/1.json', accountId: '444444444444' }],
  });
  (record.userIdentity as Record<string, unknown>).onBehalfOf = { userId: 'u', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' };
  const strings = [
    'eventVersion', 'eventTime', 'eventSource', 'eventName', 'eventID', 'awsRegion', 'sourceIPAddress', 'userAgent', 'recipientAccountId',
    'vpcEndpointId', 'vpcEndpointAccountId', 'errorCode', 'eventCategory', 'eventType',
    'userIdentity.type', 'userIdentity.principalId', 'userIdentity.arn', 'userIdentity.accountId', 'userIdentity.accessKeyId',
    'userIdentity.userName', 'userIdentity.invokedBy', 'userIdentity.identityProvider', 'userIdentity.userId',
    'userIdentity.onBehalfOf.userId', 'userIdentity.onBehalfOf.identityStoreArn',
    'userIdentity.sessionContext.ec2RoleDelivery', 'userIdentity.sessionContext.sourceIdentity',
    'userIdentity.sessionContext.sessionIssuer.type', 'userIdentity.sessionContext.sessionIssuer.principalId',
    'userIdentity.sessionContext.sessionIssuer.arn', 'userIdentity.sessionContext.sessionIssuer.accountId',
    'userIdentity.sessionContext.sessionIssuer.userName', 'userIdentity.sessionContext.attributes.creationDate',
    'userIdentity.sessionContext.attributes.mfaAuthenticated', 'requestParameters.bucketName', 'requestParameters.key',
    'requestParameters.x-amz-copy-source', 'resources.0.type', 'resources.0.ARN', 'resources.0.accountId',
  ];
  const objects = ['userIdentity', 'userIdentity.onBehalfOf', 'userIdentity.sessionContext', 'userIdentity.sessionContext.sessionIssuer', 'userIdentity.sessionContext.attributes', 'resources.0'];
  const values: [string, unknown][] = [['a number', 7], ['an array', ['x']], ['an object', { x: 1 }], ['null', null], ['a boolean', true]];

  it.each(strings)('refuses %s of any other type than a string, naming it', (path) => {
    for (const [type, value] of values) {
      const reason = malformation(withField(record, path, value));
      expect([path, type, reason]).toEqual([path, type, `"${path.replace('.0.', '[0].')}" is ${type}, expected a string`]);
    }
  });

  it.each(objects)('refuses %s of any other type than an object, naming it', (path) => {
    for (const [type, value] of [...values.filter(([name]) => name !== 'an object'), ['a string', 'x'] as [string, unknown]]) {
      const reason = malformation(withField(record, path, value));
      expect([path, type, reason]).toEqual([path, type, expect.stringMatching(new RegExp(`^"${path.replace('.0', '\\[0\\]')}" is ${type}, expected an object`))]);
    }
  });

  it('judges the record itself, and each optional field left out', () => {
    expect(malformation(record)).toBe('judged');
    for (const path of [...strings, ...objects].filter((each) => !['eventTime', 'eventSource', 'eventName', 'eventID', 'userIdentity', 'resources.0'].includes(each))) {
      expect([path, malformation(withField(record, path, undefined))]).toEqual([path, 'judged']);
    }
  });
});
