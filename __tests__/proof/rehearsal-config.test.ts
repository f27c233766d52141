import { parseConfig } from '../../config/load';
import { accountNamesOf, rehearsalConfiguration } from '../../tools/proof/rehearsal-config';
import { exampleInput } from '../helpers';

const emulated = {
  organizationId: 'o-zyxwvut987',
  rootId: 'r-zz99',
  accountIds: {
    management: '123456789012',
    'log-archive': '210987654321',
    security: '300000000003',
    'workload-prod': '400000000004',
    'workload-dev': '500000000005',
  },
};

describe('the rehearsal configuration built from the emulated organization', () => {
  test('names every account of the example, management first', () => {
    expect(accountNamesOf(exampleInput())).toEqual(['management', 'log-archive', 'security', 'workload-prod', 'workload-dev']);
  });

  test('puts the emulated ids in place of the example ids, everywhere they occur, and stays a valid configuration', () => {
    const config = parseConfig(rehearsalConfiguration(exampleInput(), emulated));

    expect(config.organization).toEqual({ id: 'o-zyxwvut987', rootId: 'r-zz99' });
    expect(config.accounts.management.id).toBe('123456789012');
    expect(config.accounts.members.map((member) => member.id)).toEqual(['400000000004', '500000000005']);
    expect(config.logArchive.breakGlassRoleArn).toBe('arn:aws:iam::210987654321:role/acme-log-break-glass');
    expect(config.logArchive.readerRoleArns).toEqual(['arn:aws:iam::300000000003:role/acme-log-investigator']);
    expect(config.detector.authorizedPrincipals).toContain('arn:aws:iam::400000000004:role/acme-batch-*');
    expect(JSON.stringify(config)).not.toMatch(/111111111111|222222222222|333333333333|444444444444|555555555555|o-a1b2c3d4e5/);
  });

  test('keeps everything else of the example as it is', () => {
    const example = exampleInput();
    const rehearsal = rehearsalConfiguration(example, emulated);

    expect(rehearsal.regions).toEqual(example.regions);
    expect(rehearsal.detector?.monitoredBuckets).toEqual(example.detector?.monitoredBuckets);
    expect(rehearsal.prefix).toBe(example.prefix);
  });

  test('refuses an emulated organization that lacks an account of the configuration', () => {
    const { 'workload-dev': _missing, ...accountIds } = emulated.accountIds;

    expect(() => rehearsalConfiguration(exampleInput(), { ...emulated, accountIds })).toThrow('the emulated organization has no account "workload-dev"');
  });
});
