import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as z from 'zod';
import type { ConfigProblem } from './problems';
import { formatValue } from './problems';
import { fromOrganization as fromOrganizationSchema } from './schema';

/*
 * Member accounts read from the organization: the JSON that `aws organizations list-accounts` prints becomes
 * `accounts.members`, before the configuration is validated, so that every check sees them as if written by hand.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
 */

const FILE_PATH = ['accounts', 'fromOrganization', 'file'] as const;
const NAME_MAX = 32;

/** One account of the list, as the baseline reads it. */
export interface ListedAccount {
  readonly id: string;
  readonly name: string;
  /** `State` (ACTIVE, SUSPENDED, PENDING_ACTIVATION, PENDING_CLOSURE, CLOSED), or the older `Status` when State is absent. */
  readonly state: string;
  /** When the account joined, in milliseconds since 1970; absent in hand-written lists. */
  readonly joined?: number;
}

/** A member account derived from the list, in the configuration's input form. */
export type DerivedMember = Record<string, unknown> & { readonly name: string; readonly id: string };

type FromOrganization = z.output<typeof fromOrganizationSchema>;

/**
 * Reads the accounts of a `list-accounts` document. Each problem names the configuration key that points at the file,
 * the place in the file, the value found there and what was expected.
 */
export function listedAccounts(document: unknown, file: string): { accounts: ListedAccount[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const problem = (where: string, value: unknown, expected: string) =>
    problems.push({ path: [...FILE_PATH], value: file, expected: `${where} in it is ${formatValue(value)}; ${expected}` });
  const list = (document as { Accounts?: unknown } | null)?.Accounts;
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !Array.isArray(list)) {
    // A list (such as the output of `list-accounts --query Accounts`) shows as itself, not as its indexes.
    problem('the document', document === null || typeof document !== 'object' || Array.isArray(document) ? document : Object.keys(document as object), 'expected the output of `aws organizations list-accounts --output json`: an object with an "Accounts" list');
    return { accounts: [], problems };
  }
  // The CLI joins every page unless told --max-items; a page alone would leave accounts out without a word.
  const nextToken = (document as { NextToken?: unknown }).NextToken;
  if (nextToken !== undefined && nextToken !== null) {
    problem('NextToken', nextToken, 'expected every page of the list: run list-accounts without --max-items, or join the pages');
  }
  const accounts: ListedAccount[] = [];
  const seen = new Set<string>();
  list.forEach((entry: unknown, index) => {
    const where = `Accounts[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problem(where, entry, 'expected an account object with Id, Name and State (or Status)');
      return;
    }
    const { Id, Name, State, Status, JoinedTimestamp } = entry as Record<string, unknown>;
    const before = problems.length;
    if (typeof Id !== 'string' || !/^\d{12}$/.test(Id)) problem(`${where}.Id`, Id, 'expected a 12-digit account id in quotes');
    else if (seen.has(Id)) problem(`${where}.Id`, Id, 'expected each account once (pages of list-accounts joined twice?)');
    if (typeof Name !== 'string') problem(`${where}.Name`, Name, 'expected the account name in quotes');
    const state = State ?? Status;
    if (typeof state !== 'string' || state.length === 0) problem(`${where}.State`, state, 'expected the account state in quotes, such as "ACTIVE"');
    const joined = joinedAt(JoinedTimestamp);
    if (JoinedTimestamp !== undefined && joined === undefined) {
      problem(`${where}.JoinedTimestamp`, JoinedTimestamp, 'expected a time as the AWS CLI prints it (ISO 8601 text or seconds since 1970)');
    }
    if (problems.length > before) return;
    seen.add(Id as string);
    accounts.push({ id: Id as string, name: Name as string, state: state as string, ...(joined === undefined ? {} : { joined }) });
  });
  return { accounts, problems };
}

function joinedAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && value.length > 0) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

/**
 * A stack-safe name from an account name: lower-case ASCII letters, digits and single hyphens, starting with a
 * letter, at most 32 characters ("Payments Prod (EU)" -> "payments-prod-eu"). A name with nothing usable becomes
 * "account-<id>".
 */
export function derivedAccountName(accountName: string, id: string): string {
  const ascii = accountName.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let name = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '');
  name = name.slice(0, NAME_MAX).replace(/-+$/, '');
  return name.length >= 2 ? name : `account-${id}`;
}

/** `base` with a suffix, shortened so that the whole stays within 32 characters and ends in a letter or digit. */
function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, NAME_MAX - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

export interface OrganizationMembers {
  readonly members: DerivedMember[];
  /** What the reader should know: accounts left out, names changed to stay unique. */
  readonly notes: string[];
  readonly problems: ConfigProblem[];
}

/**
 * The member accounts the list adds to a configuration: every ACTIVE account that the configuration does not already
 * name (as management, log archive, security or member account) and does not exclude. Names come from the overrides,
 * else from the account name; two accounts that would get the same name are told apart deterministically: the one
 * that joined first (then the lower id) keeps it, each other gets the last four digits of its id (or the whole id),
 * so a name never changes when an account joins later.
 */
export function organizationMembers(
  listed: readonly ListedAccount[],
  options: FromOrganization,
  named: { readonly ids: ReadonlySet<string>; readonly names: ReadonlySet<string> },
): OrganizationMembers {
  const notes: string[] = [];
  const problems: ConfigProblem[] = [];
  const byId = new Map(listed.map((account) => [account.id, account]));
  for (const id of Object.keys(options.overrides)) {
    if (!byId.has(id)) {
      problems.push({ path: ['accounts', 'fromOrganization', 'overrides', id], value: options.overrides[id], expected: `expected the id of an account of ${options.file}` });
    }
  }
  options.exclude.forEach((id, index) => {
    if (!byId.has(id)) problems.push({ path: ['accounts', 'fromOrganization', 'exclude', index], value: id, expected: `expected the id of an account of ${options.file}` });
  });

  const excluded = new Set(options.exclude);
  const inactive = listed.filter((account) => account.state !== 'ACTIVE' && !named.ids.has(account.id) && !excluded.has(account.id));
  if (inactive.length > 0) {
    const list = [...inactive].sort((a, b) => compare(a.id, b.id)).map((account) => `${account.id} "${account.name}" (${account.state})`);
    notes.push(`${options.file}: left out ${inactive.length} account${inactive.length === 1 ? '' : 's'} not ACTIVE: ${list.join(', ')}`);
  }
  const candidates = listed.filter((account) => account.state === 'ACTIVE' && !named.ids.has(account.id) && !excluded.has(account.id));

  // Names given in the configuration come first: explicit accounts, then overrides.
  const taken = new Set(named.names);
  const names = new Map<string, string>();
  for (const account of [...candidates].sort((a, b) => compare(a.id, b.id))) {
    const name = options.overrides[account.id]?.name;
    if (name === undefined) continue;
    if (taken.has(name)) {
      problems.push({ path: ['accounts', 'fromOrganization', 'overrides', account.id, 'name'], value: name, expected: 'expected an account name no other account has' });
      continue;
    }
    taken.add(name);
    names.set(account.id, name);
  }
  const byJoining = [...candidates].filter((account) => !names.has(account.id)).sort((a, b) => (a.joined ?? Infinity) - (b.joined ?? Infinity) || compare(a.id, b.id));
  for (const account of byJoining) {
    const wanted = derivedAccountName(account.name, account.id);
    let name = wanted;
    if (taken.has(name)) name = withSuffix(wanted, account.id.slice(-4));
    if (taken.has(name)) name = withSuffix(wanted, account.id);
    if (name !== wanted) {
      notes.push(
        `${options.file}: account ${account.id} "${account.name}" is named "${name}": "${wanted}" is another account's (choose with accounts.fromOrganization.overrides["${account.id}"].name)`,
      );
    }
    taken.add(name);
    names.set(account.id, name);
  }

  const members = [...candidates]
    .sort((a, b) => compare(a.id, b.id))
    .filter((account) => names.has(account.id))
    .map((account): DerivedMember => ({ ...options.overrides[account.id], id: account.id, name: names.get(account.id)! }));
  return { members, notes, problems };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ExpansionOptions {
  /** Where a relative `file` is found: the configuration file's directory. @default - the working directory */
  readonly baseDirectory?: string;
  /** @default - reads the file from disk */
  readonly readFile?: (file: string) => string;
}

/**
 * The raw configuration with the list's accounts added to `accounts.members`; the raw configuration itself when it
 * reads no list, or when `accounts.fromOrganization` has shape problems of its own (the schema reports them where
 * they are written).
 */
export function withOrganizationAccounts(
  raw: Record<string, unknown>,
  options: ExpansionOptions = {},
): { raw: Record<string, unknown>; notes: string[]; problems: ConfigProblem[] } {
  const accounts = raw.accounts as Record<string, unknown> | undefined;
  if (typeof accounts !== 'object' || accounts === null || accounts.fromOrganization === undefined) return { raw, notes: [], problems: [] };
  const parsed = fromOrganizationSchema.safeParse(accounts.fromOrganization);
  if (!parsed.success) return { raw, notes: [], problems: [] };

  const file = path.resolve(options.baseDirectory ?? process.cwd(), parsed.data.file);
  let document: unknown;
  try {
    document = JSON.parse((options.readFile ?? ((name: string) => readFileSync(name, 'utf8')))(file));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file (${file})` : (error as Error).message;
    return { raw, notes: [], problems: [{ path: [...FILE_PATH], value: parsed.data.file, expected: `expected a readable JSON file from \`aws organizations list-accounts\`: ${reason}` }] };
  }
  const listed = listedAccounts(document, parsed.data.file);
  if (listed.problems.length > 0) return { raw, notes: [], problems: listed.problems };

  const explicit = ['management', 'logArchive', 'security']
    .map((role) => accounts[role])
    .concat(Array.isArray(accounts.members) ? accounts.members : [])
    .filter((account): account is Record<string, unknown> => typeof account === 'object' && account !== null);
  const named = {
    ids: new Set(explicit.map((account) => account.id).filter((id): id is string => typeof id === 'string')),
    names: new Set(explicit.map((account) => account.name).filter((name): name is string => typeof name === 'string')),
  };
  const derived = organizationMembers(listed.accounts, parsed.data, named);
  const members = [...(Array.isArray(accounts.members) ? accounts.members : []), ...derived.members];
  return { raw: { ...raw, accounts: { ...accounts, members } }, notes: derived.notes, problems: derived.problems };
}
