import type { BaselineConfigInput } from '../../config/schema';

/*
 * The rehearsal's configuration: the example, with the ids moto gave the emulated organization in place of the
 * example's. Account ids are replaced wherever they occur (account entries, role ARNs of readers, break-glass and
 * authorized principals), so the rehearsal deploys exactly what the example would, into the emulated accounts.
 */

export interface EmulatedOrganization {
  readonly organizationId: string;
  readonly rootId: string;
  /** Account id per account name of the configuration (management, log archive, security and members). */
  readonly accountIds: Readonly<Record<string, string>>;
}

/** The account names of a configuration, the names the emulated organization must create accounts for. */
export function accountNamesOf(config: BaselineConfigInput): string[] {
  const { management, logArchive, security, members = [] } = config.accounts;
  return [management.name, logArchive.name, security.name, ...members.map((member) => member.name)];
}

export function rehearsalConfiguration(example: BaselineConfigInput, organization: EmulatedOrganization): BaselineConfigInput {
  const { management, logArchive, security, members = [] } = example.accounts;
  const replacements = new Map<string, string>();
  for (const account of [management, logArchive, security, ...members]) {
    const id = organization.accountIds[account.name];
    if (!id) throw new Error(`the emulated organization has no account "${account.name}"`);
    replacements.set(account.id, id);
  }
  const replaceIds = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value === example.organization.id) return organization.organizationId;
      if (value === example.organization.rootId) return organization.rootId;
      return value.replace(/\d{12}/g, (id) => replacements.get(id) ?? id);
    }
    if (Array.isArray(value)) return value.map(replaceIds);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIds(item)]));
    return value;
  };
  const { $schema: _schema, ...rest } = example;
  return replaceIds(rest) as BaselineConfigInput;
}
