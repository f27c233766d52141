import type { DetectorSettings } from '../../functions/detector/settings';

/* CloudTrail records shaped as S3 data events and management events are delivered, for detector tests. */

export const WORKLOAD_ACCOUNT = '444444444444';
export const MANAGEMENT_ACCOUNT = '111111111111';
/** An account outside the organization. */
export const OUTSIDE_ACCOUNT = '999999999999';

export const settings: DetectorSettings = {
  monitoredBuckets: [{ name: 'acme-customer-records', keyPatterns: ['customers/*', '*.csv', 'keyword:ssn'] }],
  authorizedCidrs: ['203.0.113.0/24', '2001:db8:1234::/48'],
  authorizedVpcEndpoints: ['vpce-0a1b2c3d4e5f60718'],
  authorizedServices: ['backup.amazonaws.com'],
  authorizedPrincipals: ['acme-records-api', 'arn:aws:iam::444444444444:role/acme-batch-*', 'backup.amazonaws.com'],
  enumerationPrincipals: ['arn:aws:iam::444444444444:role/inventory', 'macie.amazonaws.com'],
  rules: { sensitiveObjectAccess: true, instanceCredentialsOutsideAws: true, bucketEnumeration: true, vpcEndpointAccess: true },
  response: 'off',
  responseRoleName: 'acme-detector-response',
  organizationAccountIds: [MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT],
  protectedRoles: ['OrganizationAccountAccessRole', 'acme-s3-access-detector', 'acme-detector-response', 'arn:aws:iam::222222222222:role/break-glass'],
  responseAccountIds: [WORKLOAD_ACCOUNT],
};

export const identities = {
  apiRole: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEAPI000001:task-1',
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-records-api/task-1`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEAPI000001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEAPI000001',
        arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-records-api`,
        accountId: WORKLOAD_ACCOUNT,
        userName: 'acme-records-api',
      },
      attributes: { creationDate: '2026-11-20T08:00:00Z', mfaAuthenticated: 'false' },
    },
  },
  instanceRole: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEWEB000001:i-0abc1234def567890',
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/acme-web/i-0abc1234def567890`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEWEB000001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEWEB000001',
        arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-web`,
        accountId: WORKLOAD_ACCOUNT,
        userName: 'acme-web',
      },
      attributes: { creationDate: '2026-11-20T08:00:00Z', mfaAuthenticated: 'false' },
      ec2RoleDelivery: '2.0',
    },
  },
  iamUser: {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLEUSER00001',
    arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:user/alice`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'AKIAEXAMPLEUSER00001',
    userName: 'alice',
  },
  root: {
    type: 'Root',
    principalId: WORKLOAD_ACCOUNT,
    arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:root`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEROOT00001',
  },
  otherAccount: { type: 'AWSAccount', principalId: 'AIDAEXAMPLEOTHER0001', accountId: '999999999999' },
  anonymous: { type: 'AWSAccount', principalId: '', accountId: 'anonymous' },
  awsService: { type: 'AWSService', invokedBy: 'backup.amazonaws.com' },
  serviceLinkedRole: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEMACIE0001:AmazonMacieSession',
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/AWSServiceRoleForAmazonMacie/AmazonMacieSession`,
    accountId: WORKLOAD_ACCOUNT,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`,
        accountId: WORKLOAD_ACCOUNT,
        userName: 'AWSServiceRoleForAmazonMacie',
      },
    },
  },
  federatedUser: {
    type: 'FederatedUser',
    principalId: `${WORKLOAD_ACCOUNT}:bob`,
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:federated-user/bob`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEFED000001',
    sessionContext: { sessionIssuer: { type: 'IAMUser', userName: 'federation-broker' } },
  },
  webIdentity: {
    type: 'WebIdentityUser',
    principalId: 'accounts.google.com:1234567890',
    userName: '1234567890',
    identityProvider: 'accounts.google.com',
  },
  samlUser: { type: 'SAMLUser', principalId: 'idp:carol', userName: 'carol', identityProvider: 'idp' },
  identityCenterUser: {
    type: 'IdentityCenterUser',
    accountId: WORKLOAD_ACCOUNT,
    onBehalfOf: { userId: 'd-1234567890/dave', identityStoreArn: 'arn:aws:identitystore::111111111111:identitystore/d-1234567890' },
  },
  identityCenterRole: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLESSO000001:erin@example.com',
    arn: `arn:aws:sts::${WORKLOAD_ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/erin@example.com`,
    accountId: WORKLOAD_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLESSO000001',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
        accountId: WORKLOAD_ACCOUNT,
        userName: 'AWSReservedSSO_Admin_0123456789abcdef',
      },
    },
  },
  unknownType: { type: 'Directory', principalId: 'x' },
  noType: {},
} as const;

let counter = 0;

/** A CloudTrail S3 data event for a read of bucket/key; `overrides` replace top-level fields. */
export function objectRead(
  identity: object,
  object: { bucket?: string; key?: string; eventName?: string } = {},
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  counter += 1;
  return {
    eventVersion: '1.10',
    userIdentity: identity,
    eventTime: '2026-11-21T10:15:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: object.eventName ?? 'GetObject',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: '[aws-cli/2.17.0 md/awscrt#0.20.11 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.8]',
    requestParameters: {
      bucketName: object.bucket ?? 'acme-customer-records',
      Host: `${object.bucket ?? 'acme-customer-records'}.s3.eu-west-1.amazonaws.com`,
      key: object.key ?? 'customers/2026/accounts.json',
    },
    responseElements: null,
    requestID: `REQ${counter}`,
    eventID: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: WORKLOAD_ACCOUNT,
    eventCategory: 'Data',
    ...overrides,
  };
}

/** A CloudTrail ListBuckets management event. */
export function listBuckets(identity: object, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return objectRead(identity, {}, { eventName: 'ListBuckets', requestParameters: { Host: 's3.amazonaws.com' }, managementEvent: true, eventCategory: 'Management', ...overrides });
}

/** An EventBridge event carrying a CloudTrail record, as the detector's rule delivers it. */
export function eventBridgeEvent(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: WORKLOAD_ACCOUNT,
    time: record.eventTime,
    region: 'eu-west-1',
    resources: [],
    detail: record,
  };
}
