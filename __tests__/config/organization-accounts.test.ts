import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfigFile, parseConfig } from '../../config/load';
import { derivedAccountName, listedAccounts, organizationMembers } from '../../config/organization-accounts';
import { ConfigError } from '../../config/problems';
import { fromOrganization } from '../../config/schema';
import { resourceName } from '../../config/primitives';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import { exampleInput } from '../helpers';

/* Member accounts from `aws organizations list-accounts`: names derived safely, overrides, accounts left out. */

/** An account as `aws organizations list-accounts --output json` prints it. */
const listed = (Id: string, Name: string, extra: Record<string, unknown> = {}) => ({
  Id,
  Arn: `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${Id}`,
  Email: `aws+${Id}@example.com`,
  Name,
  Status: 'ACTIVE',
  State: 'ACTIVE',
  JoinedMethod: 'CREATED',
  JoinedTimestamp: '2024-03-01T10:00:00.000000+00:00',
  ...extra,
});

/** The example configuration reading its members from a list written next to it; returns the config and the notes. */
function loadWithList(accounts: unknown[] | unknown, fromOrganizationSettings: Record<string, unknown> = {}, change: (input: any) => void = () => {}) {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'organization-accounts-'));
  writeFileSync(path.join(directory, 'accounts.json'), JSON.stringify(Array.isArray(accounts) ? { Accounts: accounts } : accounts));
  const input = exampleInput() as any;
  input.accounts.members = [];
  input.accounts.fromOrganization = { file: 'accounts.json', ...fromOrganizationSettings };
  change(input);
  const file = path.join(directory, 'baseline.json');
  writeFileSync(file, JSON.stringify(input));
  const notes: string[] = [];
  return { load: () => loadConfigFile(file, { report: (note) => notes.push(note) }), notes };
}

const problemsOf = (load: () => unknown) => {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
};

const ROLE_ACCOUNTS = [listed('111111111111', 'Management'), listed('222222222222', 'Log Archive'), listed('333333333333', 'Security Tooling')];

describe('account names derived from the organization', () => {
  const valid = resourceName(32);

  it.each([
    ['Payments Prod (EU)', 'payments-prod-eu'],
    ['Émilie’s Sandbox', 'emilie-s-sandbox'],
    ['123 Data Lake', 'data-lake'],
    ['  --Shared--Services--  ', 'shared-services'],
    ['UPPER_snake_Case', 'upper-snake-case'],
  ])('makes "%s" into "%s"', (accountName, expected) => {
    expect(derivedAccountName(accountName, '444444444444')).toBe(expected);
  });

  it.each(['', '!!!', '7', 'x', '数据平台'])('names "%s", which has nothing usable, after its id', (accountName) => {
    expect(derivedAccountName(accountName, '444444444444')).toBe('account-444444444444');
  });

  it('keeps a long name within 32 characters, ending in a letter or digit', () => {
    const name = derivedAccountName('Enterprise Data Platform - Analytics Production Europe', '444444444444');
    expect(name.length).toBeLessThanOrEqual(32);
    expect(valid.safeParse(name).success).toBe(true);
  });

  it('derives only names the configuration accepts, whatever the account name', () => {
    const samples = ['a-', '-a', 'ab', 'a--b', 'Z9', '9Z', `${'x'.repeat(31)}-y`, 'Ünïcödé Ñame', 'tab\there', 'a'.repeat(100)];
    for (const sample of samples) expect(valid.safeParse(derivedAccountName(sample, '444444444444')).success).toBe(true);
  });
});

describe('members from the organization', () => {
  const options = (settings: Record<string, unknown> = {}) => fromOrganization.parse({ file: 'accounts.json', ...settings });
  const none = { ids: new Set<string>(), names: new Set<string>() };
  const read = (accounts: unknown[]) => listedAccounts({ Accounts: accounts }, 'accounts.json').accounts;

  it('adds every ACTIVE account the configuration does not already name, sorted by id', () => {
    const { load, notes } = loadWithList([...ROLE_ACCOUNTS, listed('555555555555', 'Workload Dev'), listed('444444444444', 'Workload Prod')]);
    const config = load();
    expect(config.accounts.members).toEqual([
      { id: '444444444444', name: 'workload-prod' },
      { id: '555555555555', name: 'workload-dev' },
    ]);
    expect(organizationAccounts(config).map((account) => BaselineNames.accountStack(account.name))).toEqual([
      'account-management',
      'account-log-archive',
      'account-security',
      'account-workload-prod',
      'account-workload-dev',
    ]);
    expect(notes).toEqual([]);
  });

  it('keeps an account written in accounts.members as written, and does not add it again', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod')], {}, (input) => {
      input.accounts.members = [{ name: 'workload-prod', id: '444444444444', deploymentRoleName: 'acme-deployer' }];
    });
    expect(load().accounts.members).toEqual([{ name: 'workload-prod', id: '444444444444', deploymentRoleName: 'acme-deployer' }]);
  });

  it.each([
    ['SUSPENDED', { State: 'SUSPENDED', Status: 'SUSPENDED' }],
    ['PENDING_CLOSURE', { State: 'PENDING_CLOSURE', Status: 'PENDING_CLOSURE' }],
    ['CLOSED', { State: 'CLOSED', Status: 'SUSPENDED' }],
    ['PENDING_ACTIVATION', { State: 'PENDING_ACTIVATION', Status: 'ACTIVE' }],
    ['SUSPENDED', { State: undefined, Status: 'SUSPENDED' }],
  ])('leaves out an account in state %s, with a note', (state, fields) => {
    const { load, notes } = loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod'), listed('666666666666', 'Old Sandbox', fields)]);
    expect(load().accounts.members.map((account) => account.id)).toEqual(['444444444444']);
    expect(notes).toEqual([`accounts.json: left out 1 account not ACTIVE: 666666666666 "Old Sandbox" (${state})`]);
  });

  it('prints the notes on standard error by default', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const input = exampleInput() as any;
      input.accounts.members = [];
      input.accounts.fromOrganization = { file: 'accounts.json' };
      const directory = mkdtempSync(path.join(os.tmpdir(), 'organization-accounts-'));
      const accounts = [...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod'), listed('666666666666', 'Old Sandbox', { State: 'SUSPENDED' })];
      writeFileSync(path.join(directory, 'accounts.json'), JSON.stringify({ Accounts: accounts }));
      writeFileSync(path.join(directory, 'baseline.json'), JSON.stringify(input));
      loadConfigFile(path.join(directory, 'baseline.json'));
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(['note: accounts.json: left out 1 account not ACTIVE: 666666666666 "Old Sandbox" (SUSPENDED)\n']);
  });

  it('tells apart two accounts of the same derived name: the one that joined first keeps it, whatever the order of the list', () => {
    const first = listed('888888888888', 'Data', { JoinedTimestamp: '2020-01-01T00:00:00+00:00' });
    const second = listed('444444444444', 'DATA', { JoinedTimestamp: '2023-06-01T00:00:00+00:00' });
    const third = listed('777777777777', 'data!', { JoinedTimestamp: 1700000000.5 });
    for (const order of [[first, second, third], [third, second, first]]) {
      const { members, notes } = organizationMembers(read(order), options(), none);
      expect(members).toEqual([
        { id: '444444444444', name: 'data-4444' },
        { id: '777777777777', name: 'data-7777' },
        { id: '888888888888', name: 'data' },
      ]);
      // In the order the accounts joined (1700000000.5 seconds is 2023-11-14).
      expect(notes).toEqual([
        'accounts.json: account 444444444444 "DATA" is named "data-4444": "data" is another account\'s (choose with accounts.fromOrganization.overrides["444444444444"].name)',
        'accounts.json: account 777777777777 "data!" is named "data-7777": "data" is another account\'s (choose with accounts.fromOrganization.overrides["777777777777"].name)',
      ]);
    }
  });

  it('falls back to the whole id when the last four digits collide too, and leaves names of the configuration alone', () => {
    const accounts = read([listed('100000001234', 'Shared'), listed('200000001234', 'Shared')]);
    const { members } = organizationMembers(accounts, options(), { ids: new Set(), names: new Set(['shared']) });
    expect(members).toEqual([
      { id: '100000001234', name: 'shared-1234' },
      { id: '200000001234', name: 'shared-200000001234' },
    ]);
  });

  it('applies the overrides of an account: its name first, then its deployment role, unit and adopted resources', () => {
    const { members, notes } = organizationMembers(
      read([listed('444444444444', 'Data'), listed('555555555555', 'Data')]),
      options({ overrides: { '555555555555': { name: 'data', deploymentRoleName: 'acme-invited-deployer', organizationalUnit: 'ou-a1b2-11111111' } } }),
      none,
    );
    expect(members).toEqual([
      { id: '444444444444', name: 'data-4444' },
      { id: '555555555555', name: 'data', deploymentRoleName: 'acme-invited-deployer', organizationalUnit: 'ou-a1b2-11111111' },
    ]);
    expect(notes).toHaveLength(1);
  });

  it('leaves out the excluded accounts', () => {
    const { members } = organizationMembers(read([listed('444444444444', 'Prod'), listed('555555555555', 'Dev')]), options({ exclude: ['555555555555'] }), none);
    expect(members.map((member) => member.id)).toEqual(['444444444444']);
  });

  it('reads the members of a configuration named by a relative path, from the configuration file\'s directory', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod')]);
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      expect(load().accounts.members).toEqual([{ id: '444444444444', name: 'workload-prod' }]);
    } finally {
      process.chdir(cwd);
    }
  });

  it('lets the rest of the configuration name the derived accounts', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod')], {}, (input) => {
      input.costGuardrails = { budgets: { enabled: true, accountLimitsUsd: { 'workload-prod': 5000 } } };
    });
    expect(load().costGuardrails.budgets.accountLimitsUsd).toEqual({ 'workload-prod': 5000 });
  });
});

describe('a list the configuration cannot use', () => {
  it('names the file that cannot be read', () => {
    const input = exampleInput() as any;
    input.accounts.fromOrganization = { file: 'missing-accounts.json' };
    const message = problemsOf(() => parseConfig(input, 'baseline.json', { baseDirectory: os.tmpdir() }));
    expect(message).toContain('accounts.fromOrganization.file: got "missing-accounts.json"; expected a readable JSON file from `aws organizations list-accounts`: no such file');
  });

  it('names the place in the list, the value there, and what was expected', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS, listed('4444', 'Short id'), { ...listed('555555555555', 'x'), Name: 42 }, listed('666666666666', 'No time', { JoinedTimestamp: 'yesterday' })]);
    const message = problemsOf(load);
    expect(message).toContain('accounts.fromOrganization.file: got "accounts.json"; Accounts[3].Id in it is "4444"; expected a 12-digit account id in quotes');
    expect(message).toContain('Accounts[4].Name in it is 42; expected the account name in quotes');
    expect(message).toContain('Accounts[5].JoinedTimestamp in it is "yesterday"; expected a time as the AWS CLI prints it');
  });

  it('refuses one page of a longer list', () => {
    expect(problemsOf(loadWithList({ Accounts: [...ROLE_ACCOUNTS], NextToken: 'AAEAAbc' }).load)).toContain(
      'NextToken in it is "AAEAAbc"; expected every page of the list: run list-accounts without --max-items, or join the pages',
    );
  });

  it('refuses a document that is not list-accounts output, and an account listed twice', () => {
    expect(problemsOf(loadWithList({ accounts: [] }).load)).toContain('the document in it is ["accounts"]; expected the output of `aws organizations list-accounts --output json`');
    expect(problemsOf(loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'A'), listed('444444444444', 'A')]).load)).toContain(
      'Accounts[4].Id in it is "444444444444"; expected each account once',
    );
  });

  it('refuses an override or exclusion of an account the list does not hold, and an override name another account has', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS, listed('444444444444', 'Workload Prod'), listed('555555555555', 'Dev')], {
      overrides: { '999999999999': { name: 'ghost' }, '555555555555': { name: 'security' } },
      exclude: ['888888888888'],
    });
    const message = problemsOf(load);
    expect(message).toContain('accounts.fromOrganization.overrides["999999999999"]: got {"name":"ghost"}; expected the id of an account of accounts.json');
    expect(message).toContain('accounts.fromOrganization.exclude[0]: got "888888888888"; expected the id of an account of accounts.json');
    expect(message).toContain('accounts.fromOrganization.overrides["555555555555"].name: got "security"; expected an account name no other account has');
  });

  it('reports a bad override where it is written, without reading the list', () => {
    const { load } = loadWithList([...ROLE_ACCOUNTS], { overrides: { '444444444444': { name: 'Not Valid' } } });
    expect(problemsOf(load)).toContain('accounts.fromOrganization.overrides["444444444444"].name: got "Not Valid"; expected lower-case letters');
  });
});

describe('config/every-option.json', () => {
  it('reads a member from its account list, with its override, and leaves out the excluded and the suspended account', () => {
    const notes: string[] = [];
    const config = loadConfigFile(path.join(__dirname, '..', '..', 'config', 'every-option.json'), { report: (note) => notes.push(note) });
    expect(config.accounts.members.map((member) => member.name)).toEqual(['workload-prod', 'workload-dev', 'analytics']);
    expect(config.accounts.members[2]).toEqual({ id: '666666666666', name: 'analytics', organizationalUnit: 'ou-a1b2-22222222' });
    expect(notes).toEqual(['every-option-accounts.json: left out 1 account not ACTIVE: 888888888888 "Old Project" (SUSPENDED)']);
  });
});
