import { responsePlan } from '../../functions/detector/response';
import type { Finding } from '../../functions/detector/finding';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { detectorProtectedRoles } from '../../lib/detector/protected-roles';
import { BaselineNames } from '../../lib/naming';
import { configWith } from '../helpers';

/*
 * The roles enforce mode never revokes, as the configuration gives them to the detector: an account that deploys
 * through a role of its own name (deploymentRoleName) keeps that role out of reach as the organization's is.
 */

const PROD = '444444444444';
const DEV = '555555555555';

const config = configWith((input) => {
  input.detector!.response = 'enforce';
  input.accounts.members![0].deploymentRoleName = 'InvitedAccountDeployment';
});
const names = new BaselineNames(config);

/** A successful read of a sensitive key by a session of `roleName` in `account`: strong evidence, revoked unless protected. */
function findingOf(account: string, roleName: string): Finding {
  return {
    rule: 'sensitive-object-access',
    reason: 'read from outside the authorized networks',
    who: { type: 'AssumedRole', kind: 'role-session', name: roleName, roleArn: `arn:aws:iam::${account}:role/${roleName}`, accountId: account },
    from: { sourceIp: '198.51.100.7' },
    what: { bucket: 'acme-customer-records', key: 'customers/2026/accounts.json', eventName: 'GetObject', eventId: 'e-1', eventTime: '2026-11-21T10:15:00Z', region: 'eu-west-1', account },
  } as unknown as Finding;
}

describe('roles enforce mode never revokes', () => {
  it("names an account's own deployment role by its ARN in that account, beside the organization's by name", () => {
    const roles = detectorProtectedRoles(config, names);
    expect(roles).toContain('OrganizationAccountAccessRole');
    expect(roles).toContain(`arn:aws:iam::${PROD}:role/InvitedAccountDeployment`);
    expect(roles.filter((role) => role.endsWith('/InvitedAccountDeployment'))).toHaveLength(1);
  });

  it("never plans a revocation of that role in its account, and still would of a role of that name elsewhere", () => {
    const settings = detectorSettingsFrom(config);
    const now = new Date('2026-11-21T10:16:00Z');
    expect(responsePlan(findingOf(PROD, 'InvitedAccountDeployment'), settings, now)).toMatchObject({ action: 'none' });
    expect(responsePlan(findingOf(DEV, 'InvitedAccountDeployment'), settings, now)).toMatchObject({ action: 'revoke-role-sessions' });
  });
});
