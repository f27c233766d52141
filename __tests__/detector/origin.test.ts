import type { CloudTrailRecord } from '../../functions/detector/cloudtrail';
import { compileRuleContext, isAuthorizedOrigin, type Origin, originOf } from '../../functions/detector/rules/context';
import { identities, MANAGEMENT_ACCOUNT, objectRead, OUTSIDE_ACCOUNT, settings, WORKLOAD_ACCOUNT } from './records';

/* Where a call came from, field by field of the record: the decision that lets an authorized principal read. */

const context = compileRuleContext({ ...settings, authorizedCidrs: [...settings.authorizedCidrs, '10.0.0.0/8'], authorizedServices: ['athena.amazonaws.com'] });
const origin = (overrides: Record<string, unknown>, identity: object = identities.apiRole) => originOf(objectRead(identity, {}, overrides) as unknown as CloudTrailRecord, context);

describe('the origin of a call', () => {
  it.each<[string, Origin, Record<string, unknown>]>([
    ['an authorized address', 'authorized-network', { sourceIPAddress: '203.0.113.9' }],
    ['an authorized IPv6 address', 'authorized-network', { sourceIPAddress: '2001:db8:1234::5' }],
    ['a public address', 'outside', { sourceIPAddress: '198.51.100.7' }],
    ['no address', 'outside', { sourceIPAddress: undefined }],
    ['a garbled address', 'outside', { sourceIPAddress: 'x' }],
    ['an authorized endpoint, whoever owns it', 'authorized-vpc-endpoint', { sourceIPAddress: '198.51.100.7', vpcEndpointId: 'vpce-0a1b2c3d4e5f60718', vpcEndpointAccountId: OUTSIDE_ACCOUNT }],
    ['an authorized endpoint without an owner', 'authorized-vpc-endpoint', { vpcEndpointId: 'vpce-0a1b2c3d4e5f60718' }],
    ["another account's endpoint, from an authorized address", 'outside', { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: OUTSIDE_ACCOUNT }],
    ['an endpoint without an owner, from an authorized address', 'outside', { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba9876543210' }],
    ["an organization account's endpoint, from an authorized address", 'authorized-network', { sourceIPAddress: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: MANAGEMENT_ACCOUNT }],
    ["an organization account's endpoint, from another address", 'organization-vpc-endpoint', { sourceIPAddress: '172.16.0.1', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: WORKLOAD_ACCOUNT }],
    ['an empty endpoint id, as no endpoint', 'authorized-network', { sourceIPAddress: '203.0.113.9', vpcEndpointId: '', vpcEndpointAccountId: OUTSIDE_ACCOUNT }],
    ['AWS Internal', 'aws-service', { sourceIPAddress: 'AWS Internal' }],
    ['an unlisted service', 'aws-service', { sourceIPAddress: 'glue.amazonaws.com' }],
    ['a name that only ends like a service', 'outside', { sourceIPAddress: 'athena.amazonaws.com.example' }],
    ['a name that only starts like a service', 'aws-service', { sourceIPAddress: 'x.athena.amazonaws.com' }],
  ])('from %s is %s', (_, expected, overrides) => {
    expect(origin(overrides)).toBe(expected);
  });

  it('is an authorized service only when the listed service is the one invokedBy names', () => {
    expect(origin({ sourceIPAddress: 'athena.amazonaws.com' }, { ...identities.apiRole, invokedBy: 'athena.amazonaws.com' })).toBe('authorized-service');
    expect(origin({ sourceIPAddress: 'athena.amazonaws.com' }, identities.apiRole)).toBe('aws-service');
    expect(origin({ sourceIPAddress: 'athena.amazonaws.com' }, { ...identities.apiRole, invokedBy: 'glue.amazonaws.com' })).toBe('aws-service');
    expect(origin({ sourceIPAddress: 'glue.amazonaws.com' }, { ...identities.apiRole, invokedBy: 'glue.amazonaws.com' })).toBe('aws-service');
  });

  it('authorizes a read from an authorized network, endpoint or service only', () => {
    const authorizing: Origin[] = ['authorized-network', 'authorized-vpc-endpoint', 'authorized-service'];
    const notAuthorizing: Origin[] = ['organization-vpc-endpoint', 'aws-service', 'outside'];
    for (const each of authorizing) expect([each, isAuthorizedOrigin(each)]).toEqual([each, true]);
    for (const each of notAuthorizing) expect([each, isAuthorizedOrigin(each)]).toEqual([each, false]);
  });
});

describe('the compiled rule context', () => {
  it('holds the settings as sets and matchers', () => {
    expect(context.settings.responseRoleName).toBe('acme-detector-response');
    expect([...context.vpcEndpoints]).toEqual(['vpce-0a1b2c3d4e5f60718']);
    expect([...context.services]).toEqual(['athena.amazonaws.com']);
    expect([...context.organizationAccounts]).toEqual([MANAGEMENT_ACCOUNT, WORKLOAD_ACCOUNT]);
    expect(context.networks.size).toBe(3);
    expect(context.authorizedPrincipals.matchesIdentity(identities.apiRole)).toBe(true);
    expect(context.authorizedPrincipals.matchesIdentity(identities.iamUser)).toBe(false);
    expect(context.enumerationPrincipals.matchesIdentity(identities.awsService)).toBe(false);
    expect(context.enumerationPrincipals.matchesIdentity({ type: 'AWSService', invokedBy: 'macie.amazonaws.com' })).toBe(true);
    expect(context.sensitiveKeys.get('acme-customer-records')?.('customers/1.json')).toBe(true);
    expect(context.sensitiveKeys.get('acme-customer-records')?.('public/1.json')).toBe(false);
    expect(context.buckets.bucketOf('acme-customer-records')).toEqual({ bucket: 'acme-customer-records' });
  });

  it('judges organization endpoints and wildcard principals against the organization accounts', () => {
    const lone = compileRuleContext({ ...settings, organizationAccountIds: [WORKLOAD_ACCOUNT], authorizedPrincipals: ['arn:aws:iam::*:role/acme-records-api'] });
    const managementSession = {
      ...identities.apiRole,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/acme-records-api`, userName: 'acme-records-api' } },
    };
    expect(lone.authorizedPrincipals.matchesIdentity(identities.apiRole)).toBe(true);
    expect(lone.authorizedPrincipals.matchesIdentity({ ...managementSession, arn: undefined })).toBe(false);
    const viaManagementEndpoint = objectRead(identities.apiRole, {}, { sourceIPAddress: '10.0.0.1', vpcEndpointId: 'vpce-0fedcba9876543210', vpcEndpointAccountId: MANAGEMENT_ACCOUNT });
    expect(originOf(viaManagementEndpoint as unknown as CloudTrailRecord, lone)).toBe('outside');
  });
});
