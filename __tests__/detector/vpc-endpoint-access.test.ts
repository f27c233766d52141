import { createDetector } from '../../functions/detector/detector';
import { createHandler, type Notification } from '../../functions/detector/handler';
import { responsePlan } from '../../functions/detector/response';
import { vpcEndpointAccess } from '../../functions/detector/rules/vpc-endpoint-access';
import { compileRuleContext } from '../../functions/detector/rules/context';
import type { DetectorSettings } from '../../functions/detector/settings';
import { ENDPOINT_ID, networkActivity, networkActivityEvent, networkRecords, otherAccountCaller, unsignedCaller } from './network-activity-records';
import { identities, MANAGEMENT_ACCOUNT, objectRead, OUTSIDE_ACCOUNT, settings, WORKLOAD_ACCOUNT } from './records';

const context = compileRuleContext(settings);
const judge = (record: Record<string, unknown>) => vpcEndpointAccess(record as never, context);
const rulesFiring = (record: Record<string, unknown>, overrides: Partial<DetectorSettings> = {}) =>
  createDetector({ ...settings, ...overrides })
    .evaluate(record)
    .map((finding) => finding.rule);

describe('the VPC endpoint access rule', () => {
  it('alerts when a principal of the organization is denied by a VPC endpoint policy', () => {
    // Prepare
    const record = networkRecords.deniedByEndpointPolicy();
    // Act
    const finding = judge(record);
    // Assess
    expect(finding).toMatchObject({
      rule: 'vpc-endpoint-access',
      reason: `a principal of the organization was denied by the policy of VPC endpoint ${ENDPOINT_ID} of account ${WORKLOAD_ACCOUNT}`,
      who: { kind: 'instance-role-session', name: 'acme-web', accountId: WORKLOAD_ACCOUNT, instanceId: 'i-0abc1234def567890' },
      from: { sourceIp: '10.20.3.41', vpcEndpointId: ENDPOINT_ID, vpcEndpointAccountId: WORKLOAD_ACCOUNT },
      what: { eventName: 'PutObject', eventSource: 's3.amazonaws.com', errorCode: 'VpceAccessDenied', account: WORKLOAD_ACCOUNT },
    });
  });

  it("alerts when another organization's credentials are used through an endpoint, allowed or denied", () => {
    expect(judge(networkRecords.crossOrganization())).toMatchObject({
      reason: `credentials of account ${OUTSIDE_ACCOUNT}, outside the organization, used through VPC endpoint ${ENDPOINT_ID} of account ${WORKLOAD_ACCOUNT}, allowed`,
      who: { kind: 'other-account', accountId: OUTSIDE_ACCOUNT },
    });
    expect(judge(networkRecords.crossOrganizationDenied())?.reason).toMatch(/outside the organization, used through .*, denied by its policy$/);
  });

  it('alerts on an unsigned call through an endpoint: only public resources of another owner answer it', () => {
    expect(judge(networkActivity(unsignedCaller, { eventName: 'GetObject' }))?.reason).toMatch(/^an unsigned call through VPC endpoint .*, allowed/);
    expect(judge(networkActivity({ type: 'AWSAccount', principalId: '' }, { denied: true }))?.reason).toMatch(/^an unsigned call .*denied by its policy/);
  });

  it('alerts when a principal of the organization reaches a resource of an account outside it', () => {
    const record = networkActivity(identities.instanceRole, {}, {
      resources: [{ type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::drop-zone-7731', accountId: OUTSIDE_ACCOUNT }],
    });
    expect(judge(record)?.reason).toBe(
      `a principal of the organization reached arn:aws:s3:::drop-zone-7731 of account ${OUTSIDE_ACCOUNT}, outside the organization, through VPC endpoint ${ENDPOINT_ID} of account ${WORKLOAD_ACCOUNT}, allowed`,
    );
  });

  it('stays quiet on allowed calls of the organization, from the endpoint owner or another of its accounts', () => {
    expect(judge(networkRecords.allowed())).toBeUndefined();
    expect(judge(networkRecords.allowedOtherOrganizationAccount())).toBeUndefined();
    expect(judge(networkActivity(identities.apiRole, {}, { resources: [{ type: 'AWS::KMS::Key', ARN: 'arn:aws:kms:eu-west-1:111111111111:key/x', accountId: MANAGEMENT_ACCOUNT }] }))).toBeUndefined();
  });

  it('needs an account on a resource to call it foreign, and names the endpoint from what the record holds', () => {
    expect(judge(networkActivity(identities.instanceRole, {}, { resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::somewhere/x' }] }))).toBeUndefined();
    const bare = networkActivity(identities.instanceRole, { denied: true }, { vpcEndpointId: undefined, vpcEndpointAccountId: undefined });
    expect(judge(bare)?.reason).toBe(`a principal of the organization was denied by the policy of VPC endpoint (no id) of account ${WORKLOAD_ACCOUNT}`);
    expect(judge({ ...bare, recipientAccountId: undefined })?.reason).toMatch(/VPC endpoint \(no id\) of account \(unknown\)$/);
    expect(judge(networkActivity(otherAccountCaller('12345'), {}))?.reason).toMatch(/^an unsigned call/);
  });

  it('names an account only when CloudTrail wrote twelve digits; anything else reads as an unsigned call', () => {
    // Thirteen digits, a letter before or after twelve: none is an account, so none is named as one.
    for (const accountId of [`1${OUTSIDE_ACCOUNT}`, `${OUTSIDE_ACCOUNT}1`, `x${OUTSIDE_ACCOUNT}`, `${OUTSIDE_ACCOUNT}x`]) {
      expect(judge(networkActivity(otherAccountCaller(accountId), {}))?.reason).toMatch(/^an unsigned call through/);
    }
    // A number where CloudTrail writes text is no account either, though its digits would pass the pattern.
    expect(judge(networkActivity(otherAccountCaller(Number(OUTSIDE_ACCOUNT) as never), {}))?.reason).toMatch(/^an unsigned call through/);
  });

  it('names a foreign resource CloudTrail listed without an ARN by its account alone', () => {
    const record = networkActivity(identities.instanceRole, {}, { resources: [{ type: 'AWS::S3::Bucket', accountId: OUTSIDE_ACCOUNT }] });
    expect(judge(record)?.reason).toMatch(new RegExp(`^a principal of the organization reached a resource of account ${OUTSIDE_ACCOUNT}, outside the organization`));
  });

  it('alerts on a denial of a principal of another account of the organization (CloudTrail names only its account)', () => {
    expect(judge(networkActivity(otherAccountCaller(MANAGEMENT_ACCOUNT), { denied: true }))?.reason).toMatch(/^a principal of the organization was denied/);
  });

  it('reads only network activity events: a denied S3 data event, or another error code, is not one', () => {
    expect(judge(objectRead(identities.instanceRole, {}, { errorCode: 'VpceAccessDenied' }))).toBeUndefined();
    expect(judge(networkActivity(identities.instanceRole, {}, { errorCode: 'AccessDenied' }))).toBeUndefined();
    expect(judge(networkActivity(identities.instanceRole, { denied: true }, { eventCategory: 'Data' }))).toBeUndefined();
  });

  it('runs in the detector only when its toggle is on, beside the other rules', () => {
    expect(rulesFiring(networkRecords.deniedByEndpointPolicy())).toEqual(['vpc-endpoint-access']);
    expect(rulesFiring(networkRecords.crossOrganization(), { rules: { ...settings.rules, vpcEndpointAccess: false } })).toEqual([]);
  });

  it('never leads to a revocation: the record says which endpoint carried a call, not what it reached', () => {
    const enforce = { ...settings, response: 'enforce' as const };
    const allowedForeign = judge(networkActivity(identities.instanceRole, {}, { resources: [{ ARN: 'arn:aws:s3:::drop-zone-7731', accountId: OUTSIDE_ACCOUNT }] }))!;
    expect(responsePlan(allowedForeign, enforce, new Date('2026-11-21T10:32:00Z'))).toEqual({
      action: 'none',
      mode: 'enforce',
      reason: 'a call through a VPC endpoint is not evidence of what it reached',
    });
    expect(responsePlan(judge(networkRecords.deniedByEndpointPolicy())!, enforce, new Date('2026-11-21T10:32:00Z'))).toMatchObject({ action: 'none', reason: expect.stringContaining('VpceAccessDenied') });
  });
});

describe('the handler on forwarded network activity events', () => {
  const run = async (event: Record<string, unknown>) => {
    const published: Notification[] = [];
    const handler = createHandler({
      settings,
      publish: async (notification) => {
        published.push(notification);
      },
      revoke: async () => 'apply',
      log: () => {},
      now: () => new Date('2026-11-21T10:32:00Z'),
    });
    return { result: await handler(event), published };
  };

  it('publishes the finding of a denial, the endpoint in the subject', async () => {
    const { result, published } = await run(networkActivityEvent(networkRecords.deniedByEndpointPolicy()));
    expect(result.findings).toBe(1);
    expect(published[0].subject).toBe(`VPC endpoint access (VpceAccessDenied) by acme-web from ${ENDPOINT_ID}: PutObject`);
    expect(JSON.parse(published[0].message)).toMatchObject({ rule: 'vpc-endpoint-access', from: { vpcEndpointId: ENDPOINT_ID } });
  });

  it('drops a forged network activity event: a custom source, or an account that is not the endpoint owner', async () => {
    const record = networkRecords.crossOrganization();
    expect((await run(networkActivityEvent(record, 'acme.vpce'))).result.rejected).toMatch(/not an AWS service/);
    expect((await run({ ...networkActivityEvent(record), account: MANAGEMENT_ACCOUNT })).result.rejected).toMatch(/does not match recipientAccountId/);
    expect((await run(networkActivityEvent({ ...record, recipientAccountId: OUTSIDE_ACCOUNT, vpcEndpointAccountId: OUTSIDE_ACCOUNT }))).result.rejected).toMatch(
      /not an account of the organization/,
    );
  });
});
