import { createDetector } from '../../functions/detector/detector';
import { BucketResolver, isAccessPointId, objectsRead, parseCopySource } from '../../functions/detector/s3-object';
import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { identities, objectRead, settings, WORKLOAD_ACCOUNT } from './records';

const ACCESS_POINT = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-api`;
const ALIAS = 'records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias';
const MRAP = `arn:aws:s3::${WORKLOAD_ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
const OBJECT_LAMBDA = `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-redacted`;

const withAccessPoints = {
  ...settings,
  monitoredBuckets: [{ ...settings.monitoredBuckets[0], accessPoints: [ACCESS_POINT, ALIAS, MRAP, OBJECT_LAMBDA] }],
};
const detector = createDetector(withAccessPoints);
const sensitiveRead = (record: unknown) => detector.evaluate(record).find((finding) => finding.rule === 'sensitive-object-access');

describe('the object a read touches', () => {
  it('comes from the object ARN CloudTrail lists, not the access point the request named', () => {
    // Prepare: a read through an access point the configuration does not list; the object ARN names the bucket.
    const unlisted = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/side-door`;
    const record = objectRead(identities.iamUser, { bucket: unlisted, key: 'customers/0001/profile.json' }, {
      resources: [
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/customers/0001/profile.json' },
        { type: 'AWS::S3::Bucket', accountId: WORKLOAD_ACCOUNT, ARN: 'arn:aws:s3:::acme-customer-records' },
        { type: 'AWS::S3::AccessPoint', accountId: WORKLOAD_ACCOUNT, ARN: unlisted },
      ],
    });
    // Act, Assess
    expect(sensitiveRead(record)?.what).toMatchObject({ bucket: 'acme-customer-records', key: 'customers/0001/profile.json' });
  });

  it('judges the key as the request parameters spell it too, when the object ARN spells it otherwise', () => {
    const record = objectRead(identities.iamUser, { key: 'customers/0001/profile.json' }, {
      resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/customers%2F0001%2Fprofile.json' }],
    });
    expect(objectsRead(record as never, new BucketResolver([]))).toEqual([
      { bucket: 'acme-customer-records', key: 'customers%2F0001%2Fprofile.json' },
      { bucket: 'acme-customer-records', key: 'customers/0001/profile.json' },
    ]);
    expect(sensitiveRead(record)?.what.key).toBe('customers/0001/profile.json');
  });

  it('maps a listed access point alias or ARN to its bucket when the record lists no object ARN', () => {
    for (const name of [ALIAS, ACCESS_POINT, ACCESS_POINT.toUpperCase()]) {
      const record = objectRead(identities.iamUser, { bucket: name, key: 'customers/0001/profile.json' });
      expect([name, sensitiveRead(record)?.what.bucket]).toEqual([name, 'acme-customer-records']);
    }
  });

  it('judges a read through an access point the configuration does not list only by its object ARN', () => {
    const record = objectRead(identities.iamUser, { bucket: 'side-door-abcdefghijklmnopqrstuvwxyz0123-s3alias', key: 'customers/1.json' });
    expect(objectsRead(record as never, new BucketResolver(withAccessPoints.monitoredBuckets))).toEqual([]);
  });

  it('reads the source of a copy named by its access point ARN, alias or multi-Region alias', () => {
    const sources = [
      encodeURIComponent(`${ACCESS_POINT}/object/customers/0002/profile.json`),
      `${ACCESS_POINT}/object/customers/0002/profile.json?versionId=7`,
      `/${ALIAS}/customers/0002/profile.json`,
      'mfzwi23gnjvgw.mrap/customers/0002/profile.json',
    ];
    for (const source of sources) {
      const copy = objectRead(identities.iamUser, { eventName: 'CopyObject', bucket: 'attacker-bucket', key: 'loot.json' }, {
        requestParameters: { bucketName: 'attacker-bucket', key: 'loot.json', 'x-amz-copy-source': source },
        resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::attacker-bucket/loot.json' }],
      });
      expect([source, sensitiveRead(copy)?.what]).toEqual([source, expect.objectContaining({ bucket: 'acme-customer-records', key: 'customers/0002/profile.json' })]);
    }
  });

  it('parses access point ARNs in copy sources instead of cutting them at the first slash', () => {
    expect(parseCopySource(`${ACCESS_POINT}/object/a/b.json`)).toEqual({ bucket: ACCESS_POINT, key: 'a/b.json' });
    expect(parseCopySource('arn:aws:s3-outposts:eu-west-1:444444444444:outpost/op-01ac5d28a6a232904/accesspoint/ap/object/k')).toEqual({
      bucket: 'arn:aws:s3-outposts:eu-west-1:444444444444:outpost/op-01ac5d28a6a232904/accesspoint/ap',
      key: 'k',
    });
    expect(parseCopySource(`${ACCESS_POINT}/a/b.json`)).toBeUndefined();
  });

  it('judges a GetObject through a listed S3 Object Lambda access point as a read of the object', () => {
    const record = objectRead(identities.iamUser, {}, {
      eventSource: 's3-object-lambda.amazonaws.com',
      requestParameters: { Host: `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com`, key: 'customers/0003/profile.json' },
    });
    expect(sensitiveRead(record)?.what).toMatchObject({ bucket: 'acme-customer-records', key: 'customers/0003/profile.json', eventName: 'GetObject' });
    expect(sensitiveRead({ ...record, eventName: 'HeadObject' })).toBeUndefined();
    const viaResource = { ...record, requestParameters: { key: 'customers/0003/profile.json' }, resources: [{ type: 'AWS::S3ObjectLambda::AccessPoint', ARN: OBJECT_LAMBDA }] };
    expect(sensitiveRead(viaResource)?.what.bucket).toBe('acme-customer-records');
  });
});

describe('access points in the detector settings', () => {
  const raw = (accessPoints: unknown, second?: unknown) => ({
    ...settings,
    monitoredBuckets: [
      { ...settings.monitoredBuckets[0], accessPoints },
      ...(second ? [{ name: 'acme-other', keyPatterns: ['*'], accessPoints: second }] : []),
    ],
  });

  it('accepts each documented form', () => {
    for (const id of [ACCESS_POINT, ALIAS, MRAP, 'mfzwi23gnjvgw.mrap', OBJECT_LAMBDA, 'records-redacted-x7k2ajb9tz3hq5o1mrbwsqvmeuw1a--ol-s3']) {
      expect([id, isAccessPointId(id)]).toEqual([id, true]);
    }
    expect(parseDetectorSettings(raw([ACCESS_POINT])).monitoredBuckets[0].accessPoints).toEqual([ACCESS_POINT]);
  });

  it('rejects a bare access point name, a bucket ARN and an access point listed for two buckets, naming the path', () => {
    expect(() => parseDetectorSettings(raw(['records-api', 'arn:aws:s3:::acme-customer-records']))).toThrow(DetectorSettingsError);
    try {
      parseDetectorSettings(raw(['records-api'], undefined));
    } catch (error) {
      expect((error as DetectorSettingsError).problems).toEqual([expect.stringMatching(/^settings\.monitoredBuckets\[0\]\.accessPoints\[0\]: "records-api": expected an access point ARN/)]);
    }
    expect(() => parseDetectorSettings(raw([ALIAS], [ALIAS]))).toThrow(/monitoredBuckets\[1\]\.accessPoints\[0\].*listed for acme-customer-records too/);
  });

  it('rejects accessPoints that is not an array, and a field a monitored bucket does not have', () => {
    expect(() => parseDetectorSettings(raw(ACCESS_POINT))).toThrow(/monitoredBuckets\[0\]\.accessPoints: .*expected an array of access point ARNs or aliases/);
    const extra = { ...settings, monitoredBuckets: [{ ...settings.monitoredBuckets[0], accesspoints: [ACCESS_POINT] }] };
    expect(() => parseDetectorSettings(extra)).toThrow(/monitoredBuckets\[0\]\.accesspoints: .*expected one of name, keyPatterns, accessPoints/);
  });
});

describe('access points in the configuration', () => {
  const { configWith } = require('../helpers') as typeof import('../helpers');
  const { detectorSettingsFrom } = require('../../lib/detector/settings') as typeof import('../../lib/detector/settings');

  it('reach the detector settings, sorted', () => {
    const config = configWith((input) => {
      input.detector!.monitoredBuckets![0].accessPoints = [MRAP, ACCESS_POINT];
    });
    expect(detectorSettingsFrom(config).monitoredBuckets[0].accessPoints).toEqual([MRAP, ACCESS_POINT]);
  });

  it('are rejected by name alone, naming the path and the forms expected', () => {
    expect(() =>
      configWith((input) => {
        input.detector!.monitoredBuckets![0].accessPoints = ['records-api'];
      }),
    ).toThrow(/detector\.monitoredBuckets\[0\]\.accessPoints\[0\].*records-api.*expected an access point ARN/s);
  });
});

describe('object ARNs', () => {
  const { objectOfArn } = require('../../functions/detector/s3-object') as typeof import('../../functions/detector/s3-object');

  it('read the bucket and the whole key, and nothing from other ARNs', () => {
    expect(objectOfArn('arn:aws:s3:::b/k/with/slashes and spaces')).toEqual({ bucket: 'b', key: 'k/with/slashes and spaces' });
    expect(objectOfArn('arn:aws-us-gov:s3:::b/k\nline')).toEqual({ bucket: 'b', key: 'k\nline' });
    for (const arn of ['arn:aws:s3:::b', 'arn:aws:s3:::b/', 'arn:aws:s3:::/k', 'arn::s3:::b/k', `${ACCESS_POINT}/object/k`, 'arn:aws:s3-object-lambda:eu-west-1:1:accesspoint/x', 'arn:aws:iam::1:role/b/k', 's3:::b/k']) {
      expect([arn, objectOfArn(arn)]).toEqual([arn, undefined]);
    }
  });
});
