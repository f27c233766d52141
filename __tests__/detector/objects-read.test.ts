import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { BucketResolver, isAccessPointId, isAccessPointName, objectOfArn, objectsRead, parseCopySource } from '../../functions/detector/s3-object';
import { identities, objectRead, WORKLOAD_ACCOUNT } from './records';

/* Which objects each kind of S3 call read, and how names that are not buckets are resolved. */

const ACCESS_POINT = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-api`;
const ALIAS = 'records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias';
const MRAP = `arn:aws:s3::${WORKLOAD_ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
const OBJECT_LAMBDA = `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-redacted`;
// Built in each test, not once for the file: what a constructor does then counts as done by the tests that read it.
const resolverOf = () => new BucketResolver([{ name: 'acme-customer-records', accessPoints: [ACCESS_POINT, ALIAS, MRAP, OBJECT_LAMBDA] }, { name: 'acme-plain' }]);

const read = (overrides: Record<string, unknown>, object: { bucket?: string; key?: string; eventName?: string } = {}) =>
  objectsRead(objectRead(identities.iamUser, object, overrides) as unknown as CloudTrailRecord, resolverOf());

describe('bucket names', () => {
  it('resolve listed access points (ARN in any case, alias, multi-Region ARN and alias) to their bucket', () => {
    const resolver = resolverOf();
    expect(resolver.bucketOf(ACCESS_POINT.toUpperCase())).toEqual({ bucket: 'acme-customer-records', via: ACCESS_POINT.toUpperCase() });
    expect(resolver.bucketOf(ALIAS)).toEqual({ bucket: 'acme-customer-records', via: ALIAS });
    expect(resolver.bucketOf(MRAP)).toEqual({ bucket: 'acme-customer-records', via: MRAP });
    expect(resolver.bucketOf('mfzwi23gnjvgw.mrap')).toEqual({ bucket: 'acme-customer-records', via: 'mfzwi23gnjvgw.mrap' });
    expect(resolver.bucketOf('acme-plain')).toEqual({ bucket: 'acme-plain' });
  });

  it('leave unlisted access points unresolved, and take any other name as a bucket', () => {
    const resolver = resolverOf();
    for (const name of [`arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/other`, 'other-s3alias', 'other--ol-s3', 'other.mrap', 'other--op-s3']) {
      expect([name, isAccessPointName(name), resolver.bucketOf(name)]).toEqual([name, true, undefined]);
    }
    for (const name of ['my-s3alias-bucket', 'ol-s3-bucket', 'mrap-bucket', 'op-s3', 'arnold', 'x--ol-s3-copy', 'x.mrap.copy', 'x--op-s3-copy', 'x-s3alias-copy']) {
      expect([name, isAccessPointName(name), resolver.bucketOf(name)]).toEqual([name, false, { bucket: name }]);
    }
  });

  it('map a multi-Region alias only from a multi-Region access point ARN', () => {
    const regional = new BucketResolver([{ name: 'b', accessPoints: [`arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/x.mrap`] }]);
    expect(regional.bucketOf('x.mrap')).toBeUndefined();
  });
});

describe('the objects a call read', () => {
  it('are none for calls of other services, other S3 calls and Object Lambda calls other than GetObject', () => {
    expect(read({ eventSource: 'dynamodb.amazonaws.com' })).toEqual([]);
    expect(read({}, { eventName: 'PutObject' })).toEqual([]);
    expect(read({}, { eventName: 'HeadObject' })).toEqual([]);
    expect(read({ eventSource: 's3-object-lambda.amazonaws.com', resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/k' }] }, { eventName: 'ListObjectsV2' })).toEqual([]);
  });

  it('are the object of the request parameters, once, when the object ARN names the same', () => {
    expect(read({}, { key: 'customers/1.json' })).toEqual([{ bucket: 'acme-customer-records', key: 'customers/1.json', via: undefined }]);
    expect(read({ resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/customers/1.json' }] }, { key: 'customers/1.json' })).toEqual([
      { bucket: 'acme-customer-records', key: 'customers/1.json' },
    ]);
  });

  it('are the object ARNs only, when the request parameters name no bucket or key', () => {
    const resources = [
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/a' },
      { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::acme-customer-records/b' },
      { type: 'AWS::S3::Object' },
      { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records' },
    ];
    expect(read({ resources, requestParameters: { bucketName: 'acme-customer-records' } })).toStrictEqual([{ bucket: 'acme-customer-records', key: 'a' }]);
    expect(read({ resources, requestParameters: { key: 'c' } })).toStrictEqual([{ bucket: 'acme-customer-records', key: 'a' }]);
    expect(read({ resources, requestParameters: null })).toStrictEqual([{ bucket: 'acme-customer-records', key: 'a' }]);
  });

  it('keep both objects when the request names another bucket than the object ARN for the same key', () => {
    const resources = [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-plain/k' }];
    expect(read({ resources }, { key: 'k' })).toStrictEqual([
      { bucket: 'acme-plain', key: 'k' },
      { bucket: 'acme-customer-records', key: 'k', via: undefined },
    ]);
  });

  it('are none for a copy without request parameters', () => {
    expect(read({ requestParameters: null }, { eventName: 'CopyObject' })).toEqual([]);
  });

  it('leave out a request naming an unlisted access point, and keep the access point a read went through', () => {
    expect(read({}, { bucket: 'other-s3alias', key: 'k' })).toEqual([]);
    expect(read({}, { bucket: ALIAS, key: 'k' })).toEqual([{ bucket: 'acme-customer-records', key: 'k', via: ALIAS }]);
  });

  it('are the source of a copy, never its destination', () => {
    const copy = (source: unknown) =>
      read({ requestParameters: { bucketName: 'dest', key: 'd', 'x-amz-copy-source': source }, resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::dest/d' }] }, { eventName: 'UploadPartCopy' });
    expect(copy('acme-customer-records/customers/1.json')).toEqual([{ bucket: 'acme-customer-records', key: 'customers/1.json', via: undefined }]);
    expect(copy(`${ALIAS}/k`)).toEqual([{ bucket: 'acme-customer-records', key: 'k', via: ALIAS }]);
    expect(copy('other-s3alias/k')).toEqual([]);
    expect(copy('no-key')).toEqual([]);
    expect(copy(undefined)).toEqual([]);
  });
});

describe('reads through S3 Object Lambda', () => {
  const lambdaRead = (requestParameters: Record<string, unknown> | null, resources: object[] = []) =>
    read({ eventSource: 's3-object-lambda.amazonaws.com', requestParameters, resources });

  it('take the object ARNs first', () => {
    expect(lambdaRead({ key: 'x' }, [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/customers/1.json' }])).toEqual([
      { bucket: 'acme-customer-records', key: 'customers/1.json' },
    ]);
  });

  it('else map the access point named in the resources, the bucket name or the host to its bucket', () => {
    const expected = (via: string) => [{ bucket: 'acme-customer-records', key: 'k', via }];
    expect(lambdaRead({ key: 'k' }, [{ type: 'AWS::S3ObjectLambda::AccessPoint', ARN: OBJECT_LAMBDA }])).toEqual(expected(OBJECT_LAMBDA));
    expect(lambdaRead({ key: 'k', bucketName: OBJECT_LAMBDA })).toEqual(expected(OBJECT_LAMBDA));
    expect(lambdaRead({ key: 'k', host: `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com` })).toEqual(expected(OBJECT_LAMBDA));
    expect(lambdaRead({ key: 'k', Host: `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com` })).toEqual(expected(OBJECT_LAMBDA));
  });

  it('are none without a key, or when no name is a listed access point', () => {
    expect(lambdaRead({ bucketName: OBJECT_LAMBDA })).toEqual([]);
    expect(lambdaRead(null)).toEqual([]);
    expect(lambdaRead({ key: 'k', bucketName: 'acme-customer-records' })).toEqual([]);
    expect(lambdaRead({ key: 'k', Host: `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com.example` })).toEqual([]);
    expect(lambdaRead({ key: 'k', Host: `x.records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com` })).toEqual([]);
    expect(lambdaRead({ key: 'k', Host: 7 })).toEqual([]);
    expect(lambdaRead({ key: 'k', bucketName: `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/other` })).toEqual([]);
  });

  it('read the host only when it is a single string, not a list that would print as one', () => {
    // CloudTrail records the Host header as a string; anything else is not a host the request was sent to.
    const host = `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com`;
    expect(lambdaRead({ key: 'k', Host: [host] })).toEqual([]);
    expect(lambdaRead({ key: 'k', host: [host] })).toEqual([]);
  });

  it('skip resources without an ARN', () => {
    expect(lambdaRead({ key: 'k', bucketName: OBJECT_LAMBDA }, [{ type: 'AWS::S3ObjectLambda::AccessPoint' }])).toEqual([{ bucket: 'acme-customer-records', key: 'k', via: OBJECT_LAMBDA }]);
  });
});

describe('object ARNs', () => {
  it('begin with "arn:"', () => {
    expect(objectOfArn('xrn:aws:s3:::b/k')).toBeUndefined();
    expect(objectOfArn('arn:aws:s3:::b/k')).toStrictEqual({ bucket: 'b', key: 'k' });
  });
});

describe('copy sources', () => {
  it.each<[string, { bucket: string; key: string } | undefined]>([
    ['bucket/key', { bucket: 'bucket', key: 'key' }],
    ['/bucket/a/b', { bucket: 'bucket', key: 'a/b' }],
    ['bucket/key?versionId=3', { bucket: 'bucket', key: 'key' }],
    ['bucket/a%20b%2Fc', { bucket: 'bucket', key: 'a b/c' }],
    ['bucket/100%', { bucket: 'bucket', key: '100%' }],
    ['bucket/a?b', { bucket: 'bucket', key: 'a?b' }],
    ['bucket/', undefined],
    ['/key', undefined],
    ['//key', undefined],
    [`arn:x/arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap/object/k`, undefined],
    ['bucket', undefined],
    [`${ACCESS_POINT}/object/line%0Abreak`, { bucket: ACCESS_POINT, key: 'line\nbreak' }],
    [`arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap/object/`, undefined],
    [`arn:aws:s3:eu-west-1:x:accesspoint/ap/object/k`, undefined],
    [`arn:aws:iam::${WORKLOAD_ACCOUNT}:accesspoint/ap/object/k`, undefined],
  ])('%j is %j', (source, expected) => {
    expect(parseCopySource(source)).toEqual(expected);
  });
});

describe('access point forms in the settings', () => {
  it('accept only the documented forms', () => {
    for (const id of [
      ACCESS_POINT,
      `arn:aws-cn:s3:cn-north-1:${WORKLOAD_ACCOUNT}:accesspoint/ap1`,
      `arn:aws-us-gov:s3:us-gov-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap1`,
      ALIAS,
      MRAP,
      'mfzwi23gnjvgw.mrap',
      OBJECT_LAMBDA,
      'records-redacted-x7k2ajb9tz3hq5o1mrbwsqvmeuw1a--ol-s3',
    ]) {
      expect([id, isAccessPointId(id)]).toEqual([id, true]);
    }
    for (const id of [
      'records-api',
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/-ap`,
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap-`,
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/a`,
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/${'a'.repeat(51)}`,
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/Records`,
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap/x`,
      `x${ACCESS_POINT}`,
      `arn:aws:s3:eu-west-1:4444:accesspoint/ap1`,
      `arn:aws:s3:euwest1:${WORKLOAD_ACCOUNT}:accesspoint/ap1`,
      `arn:aws-xx:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/ap1`,
      '-records-s3alias',
      'records-s3alias-x',
      `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/x.mrap`,
      'MRAP.mrap',
      'x.mrap.example',
      `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/${'a'.repeat(46)}`,
      '-x--ol-s3',
    ]) {
      expect([id, isAccessPointId(id)]).toEqual([id, false]);
    }
  });
});
