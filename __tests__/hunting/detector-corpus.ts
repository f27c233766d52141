import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BaselineConfig } from '../../config/schema';
import { identities, listBuckets, objectRead, OUTSIDE_ACCOUNT, WORKLOAD_ACCOUNT } from '../detector/records';
import { configWith } from '../helpers';

/*
 * What the detector's hunts are proven on: the replay fixtures, and every caller type crossed with every kind of
 * source (IPv4 and IPv6 in their spellings, VPC endpoints of every owner, AWS services, no address) and every kind of
 * read the rules tell apart (keys needing escaping, access points, copies, Object Lambda), under a configuration that
 * uses every form of allow-list entry.
 */

type CloudTrailRecord = Record<string, unknown>;

export const HUNT_ACCESS_POINT = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-api`;
export const HUNT_ALIAS = 'records-api-abcdefgh12345678-s3alias';
export const HUNT_OBJECT_LAMBDA = `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-redacted`;

/** The example configuration with a detector that uses every form of pattern, network and principal. */
export function huntingConfig(): BaselineConfig {
  return configWith((input) => {
    input.detector = {
      monitoredBuckets: [
        {
          name: 'acme-customer-records',
          account: 'workload-prod',
          region: 'eu-west-1',
          keyPatterns: ['customers/*', '*.csv', 'keyword:ssn', "reports/100%_done'?.txt"],
          accessPoints: [HUNT_ACCESS_POINT, HUNT_ALIAS, `arn:aws:s3::${WORKLOAD_ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`, HUNT_OBJECT_LAMBDA],
        },
        { name: 'acme-payroll', account: 'workload-prod', region: 'eu-west-1', keyPatterns: ['*'] },
      ],
      authorizedCidrs: ['203.0.113.0/24', '198.51.100.128/25', '2001:db8:1234::/48', '2001:db8:ab00::/45'],
      authorizedVpcEndpoints: ['vpce-0a1b2c3d4e5f60718'],
      authorizedServices: ['backup.amazonaws.com'],
      authorizedPrincipals: ['acme-records-api', `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-batch-*`, 'backup.amazonaws.com', '111111111111', 'arn:aws:iam::*:user/ali?e'],
      enumerationPrincipals: [`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/inventory`, 'macie.amazonaws.com', 'inventory-scanner', '5555*'],
    };
  });
}

const role = (account: string, name: string, session: string, extra: Record<string, unknown> = {}, path = '') => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLE${name.length}:${session}`,
  arn: `arn:aws:sts::${account}:assumed-role/${name}/${session}`,
  accountId: account,
  accessKeyId: 'ASIAEXAMPLE000000001',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: `AROAEXAMPLE${name.length}`, arn: `arn:aws:iam::${account}:role/${path}${name}`, accountId: account, userName: name },
    attributes: { creationDate: '2026-11-20T08:00:00Z', mfaAuthenticated: 'false' },
    ...extra,
  },
});

/** Every caller type CloudTrail writes, and the look-alikes the allow-lists must tell apart. */
export const CALLERS: Record<string, object> = {
  ...identities,
  batchRole: role(WORKLOAD_ACCOUNT, 'acme-batch-nightly', 'export'),
  batchRoleUnderPath: role(WORKLOAD_ACCOUNT, 'x', 'export', {}, 'acme-batch-/'),
  apiRoleOfOutsider: role(OUTSIDE_ACCOUNT, 'acme-records-api', 'task-9'),
  inventoryScanner: role('111111111111', 'inventory-scanner', 'scan'),
  inventoryRole: role(WORKLOAD_ACCOUNT, 'inventory', 'run'),
  devAccountRole: role('555555555555', 'anything', 'dev'),
  instanceByArnOnly: role(WORKLOAD_ACCOUNT, 'acme-web', 'i-0abc1234def567890'),
  instanceByMarkOnly: { ...role(WORKLOAD_ACCOUNT, 'acme-web', 'web'), principalId: 'AROAEXAMPLEWEB000001:i-0abc1234def567890' },
  instanceOfServiceRole: {
    ...role(WORKLOAD_ACCOUNT, 'AWSServiceRoleForX', 'i-0abc1234def567890', { ec2RoleDelivery: '2.0' }, 'aws-service-role/x.amazonaws.com/'),
  },
  managementUser: { type: 'IAMUser', principalId: 'AIDAMGMT', arn: 'arn:aws:iam::111111111111:user/alice', accountId: '111111111111', userName: 'alice' },
  outsideUser: { type: 'IAMUser', principalId: 'AIDAOUT', arn: `arn:aws:iam::${OUTSIDE_ACCOUNT}:user/alice`, accountId: OUTSIDE_ACCOUNT, userName: 'alice' },
  macie: { type: 'AWSService', invokedBy: 'macie.amazonaws.com' },
};

/** Where a call came from: the address CloudTrail wrote and the VPC endpoint, when there was one. */
export const SOURCES: Record<string, Record<string, unknown>> = {
  ipv4Inside: { sourceIPAddress: '203.0.113.5' },
  ipv4InsideEdge: { sourceIPAddress: '198.51.100.255' },
  ipv4JustOutside: { sourceIPAddress: '198.51.100.127' },
  ipv4Outside: { sourceIPAddress: '192.0.2.44' },
  ipv4LeadingZero: { sourceIPAddress: '203.0.113.05' },
  ipv6Inside: { sourceIPAddress: '2001:db8:1234::1' },
  ipv6InsideUpperCase: { sourceIPAddress: '2001:DB8:1234:FFFF:0:0:0:1' },
  ipv6InsideFull: { sourceIPAddress: '2001:0db8:1234:0000:0000:0000:0000:0001' },
  ipv6InsideZone: { sourceIPAddress: '2001:db8:1234::7%eth0' },
  ipv6InsideIpv4Tail: { sourceIPAddress: '2001:db8:1234::192.0.2.1' },
  ipv6SlashFortyFiveInside: { sourceIPAddress: '2001:db8:ab07:ffff::1' },
  ipv6SlashFortyFiveOutside: { sourceIPAddress: '2001:db8:ab08::1' },
  ipv6Outside: { sourceIPAddress: '2001:db8:1235::1' },
  ipv6MappedInside: { sourceIPAddress: '::ffff:203.0.113.9' },
  ipv6MappedHexInside: { sourceIPAddress: '::ffff:cb00:7109' },
  ipv6MappedOutside: { sourceIPAddress: '::ffff:192.0.2.1' },
  ipv6TwoCompressions: { sourceIPAddress: '2001::db8::1' },
  ipv6TooManyGroups: { sourceIPAddress: '2001:db8:1234:1:2:3:4:5:6' },
  ipv6Unspecified: { sourceIPAddress: '::' },
  ipv6Ipv4Compatible: { sourceIPAddress: '::203.0.113.9' },
  ipv6EightGroupsCompressed: { sourceIPAddress: '2001:db8:1234:1:2:3:4::5' },
  ipv6SevenGroupsCompressed: { sourceIPAddress: '2001:db8:1234:1:2:3::4' },
  awsInternal: { sourceIPAddress: 'AWS Internal' },
  authorizedService: { sourceIPAddress: 'backup.amazonaws.com' },
  otherService: { sourceIPAddress: 'athena.amazonaws.com' },
  noAddress: { sourceIPAddress: undefined },
  garbage: { sourceIPAddress: "not an address'; --" },
  listedEndpointOutsideAddress: { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0a1b2c3d4e5f60718', vpcEndpointAccountId: OUTSIDE_ACCOUNT },
  organizationEndpointInsideAddress: { sourceIPAddress: '203.0.113.7', vpcEndpointId: 'vpce-0fedcba987654321f', vpcEndpointAccountId: WORKLOAD_ACCOUNT },
  organizationEndpointPrivateAddress: { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba987654321f', vpcEndpointAccountId: WORKLOAD_ACCOUNT },
  foreignEndpointInsideAddress: { sourceIPAddress: '203.0.113.7', vpcEndpointId: 'vpce-0123456789abcdef0', vpcEndpointAccountId: OUTSIDE_ACCOUNT },
  endpointWithoutOwner: { sourceIPAddress: '203.0.113.7', vpcEndpointId: 'vpce-0123456789abcdef0' },
};

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const withResources = (bucket: string, key: string) => ({
  resources: [
    { type: 'AWS::S3::Object', ARN: objectArn(bucket, key) },
    { accountId: WORKLOAD_ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
  ],
});

/** The calls the rules tell apart, each made by a caller from a source. */
export const CALLS: Record<string, (identity: object) => CloudTrailRecord> = {
  sensitiveRead: (who) => objectRead(who, { key: 'customers/2026/accounts.json' }, withResources('acme-customer-records', 'customers/2026/accounts.json')),
  plainRead: (who) => objectRead(who, { key: 'public/logo.png' }, withResources('acme-customer-records', 'public/logo.png')),
  escapedKeyRead: (who) => objectRead(who, { key: "reports/100%_done'x.txt" }),
  wildcardLookAlikeRead: (who) => objectRead(who, { key: "reports/100X_done'x.txt" }),
  keywordRead: (who) => objectRead(who, { key: 'HR/SSN-List.txt' }),
  otherBucketRead: (who) => objectRead(who, { bucket: 'acme-payroll', key: 'anything' }),
  unmonitoredBucketRead: (who) => objectRead(who, { bucket: 'acme-public', key: 'customers/x.csv' }),
  aliasRead: (who) => objectRead(who, { bucket: HUNT_ALIAS, key: 'customers/alias.json' }),
  multiRegionAliasRead: (who) => objectRead(who, { bucket: 'mfzwi23gnjvgw.mrap', key: 'customers/mrap.json' }),
  unknownAliasRead: (who) => objectRead(who, { bucket: 'someone-else-abcdefgh12345678-s3alias', key: 'customers/alias.json' }),
  resourceOnlyRead: (who) => objectRead(who, {}, { requestParameters: { Host: 'x' }, ...withResources('acme-customer-records', 'exports/2026.csv') }),
  headOfSensitive: (who) => objectRead(who, { key: 'customers/2026/accounts.json', eventName: 'HeadObject' }),
  encodedCopy: (who) =>
    objectRead(who, { eventName: 'CopyObject', bucket: 'acme-public', key: 'copy.json' }, {
      requestParameters: { bucketName: 'acme-public', key: 'copy.json', 'x-amz-copy-source': '/acme-customer-records/customers%2F2026%20q1%27s.json?versionId=abc' },
    }),
  accessPointCopy: (who) =>
    objectRead(who, { eventName: 'UploadPartCopy', bucket: 'acme-public', key: 'copy.json' }, {
      requestParameters: {
        bucketName: 'acme-public',
        key: 'copy.json',
        'x-amz-copy-source': encodeURIComponent(`${HUNT_ACCESS_POINT}/object/exports/x.csv`),
      },
    }),
  malformedEscapeCopy: (who) =>
    objectRead(who, { eventName: 'CopyObject', bucket: 'acme-public', key: 'copy.json' }, {
      requestParameters: { bucketName: 'acme-public', key: 'copy.json', 'x-amz-copy-source': 'acme-customer-records/customers/%zz.json' },
    }),
  plainCopy: (who) =>
    objectRead(who, { eventName: 'CopyObject', bucket: 'acme-customer-records', key: 'customers/dest.json' }, {
      requestParameters: { bucketName: 'acme-customer-records', key: 'customers/dest.json', 'x-amz-copy-source': 'acme-public/readme.txt' },
    }),
  objectLambdaByHost: (who) =>
    objectRead(who, {}, {
      eventSource: 's3-object-lambda.amazonaws.com',
      requestParameters: { Host: `records-redacted-${WORKLOAD_ACCOUNT}.s3-object-lambda.eu-west-1.amazonaws.com`, key: 'customers/lambda.json' },
    }),
  objectLambdaByResource: (who) =>
    objectRead(who, {}, { eventSource: 's3-object-lambda.amazonaws.com', requestParameters: { key: 'customers/lambda.json' }, resources: [{ type: 'AWS::S3::AccessPoint', ARN: HUNT_OBJECT_LAMBDA }] }),
  networkActivityAllowed: (who) => networkActivity(who),
  networkActivityDenied: (who) => networkActivity(who, { errorCode: 'VpceAccessDenied' }),
  networkActivityForeignResource: (who) =>
    networkActivity(who, { resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::other-org-bucket', accountId: OUTSIDE_ACCOUNT }] }),
  networkActivityOwnResources: (who) =>
    networkActivity(who, {
      resources: [
        { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::acme-customer-records', accountId: WORKLOAD_ACCOUNT },
        { type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::acme-customer-records/x' },
      ],
    }),
  networkActivityOtherError: (who) => networkActivity(who, { errorCode: 'AccessDenied', resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::b', accountId: '' }] }),
  listBuckets: (who) => listBuckets(who),
  describeInstances: (who) =>
    objectRead(who, {}, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', requestParameters: null, managementEvent: true, eventCategory: 'Management' }),
};

/** A network activity event: a call through a VPC endpoint, recorded in the endpoint owner's account. */
function networkActivity(who: object, overrides: Record<string, unknown> = {}): CloudTrailRecord {
  return objectRead(who, {}, {
    eventCategory: 'NetworkActivity',
    eventType: 'AwsVpceEvent',
    managementEvent: false,
    requestParameters: null,
    vpcEndpointId: 'vpce-0fedcba987654321f',
    vpcEndpointAccountId: WORKLOAD_ACCOUNT,
    ...overrides,
  });
}

let sequence = 0;

/** The calls that reach each rule: every caller is crossed with every source through these. */
const PROBES = ['sensitiveRead', 'listBuckets', 'describeInstances', 'networkActivityDenied'];
/** The sources every call is crossed with, by every caller: outside, inside, and through an authorized endpoint. */
const BASE_SOURCES = ['ipv4Outside', 'ipv6Inside', 'listedEndpointOutsideAddress'];

/**
 * Every caller from every source through the calls that reach each rule, and every call by every caller from an
 * outside, an inside and an endpoint source: each pair of the three dimensions meets (what a rule reads of one depends
 * on the others only through origin and principal), at a quarter of the records of the full product.
 */
export function crossedRecords(): CloudTrailRecord[] {
  const records: CloudTrailRecord[] = [];
  const add = (callerName: string, sourceName: string, callName: string) => {
    sequence += 1;
    const record = { ...CALLS[callName](CALLERS[callerName]), ...SOURCES[sourceName], eventID: `${callName}.${callerName}.${sourceName}.${sequence}` };
    records.push(JSON.parse(JSON.stringify(record)));
  };
  for (const callerName of Object.keys(CALLERS)) {
    for (const sourceName of Object.keys(SOURCES)) for (const callName of PROBES) add(callerName, sourceName, callName);
    for (const callName of Object.keys(CALLS).filter((name) => !PROBES.includes(name))) {
      for (const sourceName of BASE_SOURCES) add(callerName, sourceName, callName);
    }
  }
  return records;
}

const REPLAY_FIXTURES = path.join(__dirname, '..', 'fixtures', 'replay');

/** The CloudTrail records of the replay fixtures: log files as they are, EventBridge events unwrapped. */
export function replayFixtureRecords(): CloudTrailRecord[] {
  const records: CloudTrailRecord[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, name.name);
      if (name.isDirectory()) visit(file);
      else if (/\.json(\.gz)?$/.test(name.name)) {
        const bytes = readFileSync(file);
        const document = JSON.parse((name.name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
        if (Array.isArray(document.Records)) records.push(...document.Records);
        else if (document.detail) records.push(document.detail);
      }
    }
  };
  visit(REPLAY_FIXTURES);
  return records;
}
