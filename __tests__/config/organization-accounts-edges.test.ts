import { derivedAccountName, listedAccounts, organizationMembers, withOrganizationAccounts } from '../../config/organization-accounts';
import { fromOrganization } from '../../config/schema';

/*
 * The edges of reading `aws organizations list-accounts` output: documents and entries of the wrong shape, the exact
 * wording of each problem and note, names cut to 32 characters, and a configuration that names its accounts only in
 * part. Pure calls of the module's functions; the list is handed over as text, never read from disk.
 */

const FILE = ['accounts', 'fromOrganization', 'file'];
const account = (Id: unknown, Name: unknown = 'Workload', extra: Record<string, unknown> = {}) => ({ Id, Name, State: 'ACTIVE', ...extra });
const problemAt = (where: string, value: string, expected: string) => ({ path: FILE, value: 'accounts.json', expected: `${where} in it is ${value}; ${expected}` });
const read = (document: unknown) => listedAccounts(document, 'accounts.json');
const options = (settings: Record<string, unknown> = {}) => fromOrganization.parse({ file: 'accounts.json', ...settings });
const none = { ids: new Set<string>(), names: new Set<string>() };
const active = (id: string, name: string, joined?: number) => ({ id, name, state: 'ACTIVE', ...(joined === undefined ? {} : { joined }) });

describe('a list-accounts document of the wrong shape', () => {
  const NOT_LIST = 'expected the output of `aws organizations list-accounts --output json`: an object with an "Accounts" list';

  it.each([
    ['null', null, 'null'],
    ['a string', 'accounts', '"accounts"'],
    ['a number', 42, '42'],
    ['a list', [{ Id: '444444444444' }], '[{"Id":"444444444444"}]'],
  ])('refuses %s as the document, showing it, and reads no account', (_, document, shown) => {
    expect(read(document)).toEqual({ accounts: [], problems: [problemAt('the document', shown, NOT_LIST)] });
  });

  it('refuses a document without an Accounts list, showing its keys', () => {
    expect(read({ Accounts: 'all', Other: 1 })).toEqual({ accounts: [], problems: [problemAt('the document', '["Accounts","Other"]', NOT_LIST)] });
  });

  it('accepts a NextToken of null, which is how some tools write "no more pages"', () => {
    expect(read({ Accounts: [account('444444444444')], NextToken: null }).problems).toEqual([]);
  });

  it.each([
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['a list', ['444444444444'], '["444444444444"]'],
  ])('refuses %s as an account, once, naming its place', (_, entry, shown) => {
    expect(read({ Accounts: [account('444444444444'), entry] })).toEqual({
      accounts: [{ id: '444444444444', name: 'Workload', state: 'ACTIVE' }],
      problems: [problemAt('Accounts[1]', shown, 'expected an account object with Id, Name and State (or Status)')],
    });
  });
});

describe('an account entry the list cannot use', () => {
  const ID = 'expected a 12-digit account id in quotes';
  const STATE = 'expected the account state in quotes, such as "ACTIVE"';
  const TIME = 'expected a time as the AWS CLI prints it (ISO 8601 text or seconds since 1970)';

  it.each([
    ['a number', 444444444444, '444444444444'],
    ['text before the digits', 'x444444444444', '"x444444444444"'],
    ['13 digits', '4444444444445', '"4444444444445"'],
  ])('refuses an id that is %s', (_, id, shown) => {
    expect(read({ Accounts: [account(id)] }).problems).toEqual([problemAt('Accounts[0].Id', shown, ID)]);
  });

  it.each([
    ['empty', { State: '' }, '""'],
    ['missing, with no Status either', { State: undefined }, 'nothing'],
    ['a number', { State: 5 }, '5'],
  ])('refuses a state that is %s', (_, fields, shown) => {
    expect(read({ Accounts: [account('444444444444', 'Workload', fields)] }).problems).toEqual([problemAt('Accounts[0].State', shown, STATE)]);
  });

  it('refuses a joining time out of range or in a list, which a date parser would otherwise take', () => {
    // JSON reads 1e999 as Infinity; Date.parse would read ["2024-03-01"] as the date in it.
    const document = JSON.parse('{"Accounts": [{"Id": "444444444444", "Name": "A", "State": "ACTIVE", "JoinedTimestamp": 1e999}, {"Id": "555555555555", "Name": "B", "State": "ACTIVE", "JoinedTimestamp": ["2024-03-01"]}]}');
    expect(read(document)).toEqual({
      accounts: [],
      problems: [problemAt('Accounts[0].JoinedTimestamp', 'null', TIME), problemAt('Accounts[1].JoinedTimestamp', '["2024-03-01"]', TIME)],
    });
  });

  it('reads an account without a joining time, as in a hand-written list, with no time at all', () => {
    expect(read({ Accounts: [account('444444444444')] })).toStrictEqual({ accounts: [{ id: '444444444444', name: 'Workload', state: 'ACTIVE' }], problems: [] });
  });

  it('reads the sound accounts and none of an account with a problem', () => {
    const { accounts, problems } = read({ Accounts: [account('444444444444'), account('555555555555', 42)] });
    expect(accounts.map((entry) => entry.id)).toEqual(['444444444444']);
    expect(problems).toHaveLength(1);
  });
});

describe('names of accounts from the organization', () => {
  it('keeps a two-character name such as "QA"', () => {
    expect(derivedAccountName('QA', '444444444444')).toBe('qa');
  });

  it('shortens a long name before a suffix so that the whole stays within 32 characters, without a hyphen before the suffix', () => {
    const long = `${'a'.repeat(26)} ${'b'.repeat(10)}`;
    expect(derivedAccountName(long, '444444444444')).toBe(`${'a'.repeat(26)}-bbbbb`);
    const { members } = organizationMembers(
      [active('100000004444', long, 1), active('200000004444', long, 2), active('300000004444', long, 3)],
      options(),
      none,
    );
    expect(members.map((member) => member.name)).toEqual([`${'a'.repeat(26)}-bbbbb`, `${'a'.repeat(26)}-4444`, `${'a'.repeat(19)}-300000004444`]);
  });

  it('keeps the hyphens inside a name when it adds a suffix', () => {
    const { members } = organizationMembers([active('444444444444', 'Data Lake', 1), active('555555555555', 'Data Lake', 2)], options(), none);
    expect(members.map((member) => member.name)).toEqual(['data-lake', 'data-lake-5555']);
  });

  it('gives a name two overrides ask for to the lower id, whatever the order of the list, and refuses the other override', () => {
    const { members, problems } = organizationMembers(
      [active('555555555555', 'Beta'), active('444444444444', 'Alpha')],
      options({ overrides: { '555555555555': { name: 'shared' }, '444444444444': { name: 'shared' } } }),
      none,
    );
    expect(problems).toEqual([
      { path: ['accounts', 'fromOrganization', 'overrides', '555555555555', 'name'], value: 'shared', expected: 'expected an account name no other account has' },
    ]);
    expect(members).toEqual([
      { id: '444444444444', name: 'shared' },
      { id: '555555555555', name: 'beta' },
    ]);
  });
});

describe('accounts left out of the baseline', () => {
  it('names every account not ACTIVE, by id, in one note', () => {
    const { notes } = organizationMembers(
      [{ id: '666666666666', name: 'Old', state: 'SUSPENDED' }, { id: '555555555555', name: 'Gone', state: 'CLOSED' }, active('444444444444', 'Prod')],
      options(),
      none,
    );
    expect(notes).toEqual(['accounts.json: left out 2 accounts not ACTIVE: 555555555555 "Gone" (CLOSED), 666666666666 "Old" (SUSPENDED)']);
  });
});

describe('adding the list to a raw configuration', () => {
  const LIST = JSON.stringify({ Accounts: [account('111111111111', 'Management'), account('444444444444', 'Workload')] });
  const readList = (text: string) => () => text;

  it.each([
    ['no accounts section', {}],
    ['an accounts section that is null', { accounts: null }],
    ['no fromOrganization', { accounts: { members: [] } }],
    ['a fromOrganization of the wrong shape, which the schema reports', { accounts: { fromOrganization: { file: 5 } } }],
  ])('leaves a configuration with %s as it is, with no note and no problem', (_, raw) => {
    expect(withOrganizationAccounts(raw, { readFile: readList(LIST) })).toEqual({ raw, notes: [], problems: [] });
  });

  it('gives the reason a list is not JSON, with no note', () => {
    let reason = '';
    try {
      JSON.parse('not json');
    } catch (error) {
      reason = (error as Error).message;
    }
    const raw = { accounts: { fromOrganization: { file: 'accounts.json' } } };
    expect(withOrganizationAccounts(raw, { readFile: readList('not json') })).toEqual({
      raw,
      notes: [],
      problems: [{ path: FILE, value: 'accounts.json', expected: `expected a readable JSON file from \`aws organizations list-accounts\`: ${reason}` }],
    });
  });

  it('gives the problems of a list that is not list-accounts output, with no note', () => {
    const result = withOrganizationAccounts({ accounts: { fromOrganization: { file: 'accounts.json' } } }, { readFile: readList('{"Accounts": [42]}') });
    expect(result.notes).toEqual([]);
    expect(result.problems).toHaveLength(1);
  });

  it('adds the list to a configuration without members and with role accounts missing or null, leaving out the named ones', () => {
    const raw = { accounts: { management: { name: 'management', id: '111111111111' }, security: null, fromOrganization: { file: 'accounts.json' } } };
    const result = withOrganizationAccounts(raw, { readFile: readList(LIST) });
    expect(result).toEqual({ raw: { accounts: { ...raw.accounts, members: [{ id: '444444444444', name: 'workload' }] } }, notes: [], problems: [] });
  });
});
