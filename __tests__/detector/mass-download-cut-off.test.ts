import type { Finding } from '../../functions/detector/finding';
import { cutOffPlan, cutOffPolicy } from '../../functions/detector/mass-download/cut-off';
import type { ResponsePlan } from '../../functions/detector/response';

/*
 * The edges of the cut-off, pure: which findings call for one, which access point ARNs its deny names, and a statement
 * id IAM accepts whatever the finding id holds.
 */

const POINT = 'arn:aws:s3:eu-west-1:444444444444:accesspoint/records-api';
const finding = (changes: Record<string, unknown> = {}, what: Record<string, unknown> = { bucket: 'acme-records' }) =>
  ({ rule: 'mass-download', id: 'md-1', reason: 'r', who: {}, from: {}, what, ...changes }) as unknown as Finding;
const revocation = {
  action: 'revoke-role-sessions',
  mode: 'enforce',
  roleArn: 'arn:aws:iam::444444444444:role/acme-reporting',
  roleName: 'acme-reporting',
  responseRoleArn: 'arn:aws:iam::444444444444:role/acme-detector-response',
} as unknown as ResponsePlan;
const resources = (document: string): string[] => JSON.parse(document).Statement[0].Resource;

describe('mass download cut-off: which findings call for one', () => {
  it('cuts off only a mass-download finding with an id and a bucket whose role the revocation targets', () => {
    expect(cutOffPlan(finding(), revocation, [])).toMatchObject({ action: 'cut-off-bucket', bucket: 'acme-records', roleName: 'acme-reporting', policyName: 'S3CutOff-md-1' });
    expect(cutOffPlan(finding({ rule: 'sensitive-object-access' }), revocation, [])).toBeUndefined();
    expect(cutOffPlan(finding({ id: undefined }), revocation, [])).toBeUndefined();
    expect(cutOffPlan(finding({}, {}), revocation, [])).toBeUndefined();
    expect(cutOffPlan(finding(), undefined, [])).toBeUndefined();
  });

  it('follows the revocation when it refuses the role', () => {
    const refused = { action: 'none', mode: 'enforce', reason: 'acme-reporting is a protected role' } as unknown as ResponsePlan;
    expect(cutOffPlan(finding(), refused, [POINT])).toEqual({ action: 'none', reason: 'acme-reporting is a protected role' });
  });
});

describe('mass download cut-off: the deny', () => {
  it('names only whole access point ARNs, sorted, each with its objects', () => {
    const second = 'arn:aws:s3:eu-west-1:444444444444:accesspoint/archive';
    const refused = [
      `x${POINT}`,
      `${POINT}/object/*`,
      'arn:aws:s3:eu-west-1:4444:accesspoint/short-account',
      'arn:aws:s3::444444444444:accesspoint/no-region',
      'arn::s3:eu-west-1:444444444444:accesspoint/no-partition',
      'arn:aws:s3:eu-west-1:444444444444:accesspoint/',
      'arn:aws:s3:eu-west-1:444444444444:bucket/records',
      'records-s3alias',
    ];
    expect(resources(cutOffPolicy('acme-records', [POINT, ...refused, second], 'md-1'))).toEqual([
      'arn:aws:s3:::acme-records',
      'arn:aws:s3:::acme-records/*',
      second,
      `${second}/object/*`,
      POINT,
      `${POINT}/object/*`,
    ]);
  });

  it('takes every character that is not a letter or a digit out of the statement id', () => {
    expect(JSON.parse(cutOffPolicy('b', [], 'md-0a-1b_2.c')).Statement[0].Sid).toBe('MassDownloadCutOffmd0a1b2c');
  });
});
