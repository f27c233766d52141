import { sqlString } from '../portable-sql';

/*
 * The organization's accounts, written once per query as a table of its own: the rules ask "is this account one of
 * ours?" of the caller, its ARNs and the VPC endpoint's owner, and an organization of thousands of accounts inlined at
 * each question would outgrow Athena's 262,144-byte query limit.
 */

/** The name of the query's table of the organization's accounts. */
export const ORGANIZATION_ACCOUNTS_TABLE = 'organization_accounts';

/** A table a query defines before its SELECT (`WITH name AS (...)`). */
export interface QueryTable {
  readonly name: string;
  readonly columns: readonly string[];
  readonly query: string;
}

/** The table of the organization's accounts, one row each (`VALUES ('1'), ('2')`: one column in Trino and DuckDB alike). */
export function organizationAccountsTable(accounts: readonly string[]): QueryTable {
  const query = accounts.length === 0 ? 'SELECT CAST(NULL AS VARCHAR) WHERE FALSE' : `VALUES ${accounts.map((account) => `(${sqlString(account)})`).join(', ')}`;
  return { name: ORGANIZATION_ACCOUNTS_TABLE, columns: ['account_id'], query };
}

/** Whether the account is one of the organization's (NULL for NULL, as IN is). */
export const organizationMemberSql = (account: string, accounts: readonly string[]): string =>
  accounts.length === 0 ? 'FALSE' : `${account} IN (SELECT account_id FROM ${ORGANIZATION_ACCOUNTS_TABLE})`;
