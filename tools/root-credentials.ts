import { parseArgs } from 'node:util';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { organizationAccounts } from '../lib/naming';
import { auditExitCode, auditRootCredentials, renderAudit } from './root-credentials/audit';
import { awsRootCredentialsApi, defaultAwsOptions } from './root-credentials/aws';

const USAGE = `Usage: npm run root-credentials
  Lists the member accounts of the configuration (BASELINE_CONFIG, or the example) whose root user still holds a
  password, access keys or signing certificates. Run it with credentials of the management account (or of the
  delegated administrator for IAM); it opens one sts:AssumeRoot session per account, limited to the AWS task policy
  IAMAuditRootUserCredentials, in the configuration's home region. Exits 1 when an account holds root credentials or
  could not be audited.`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfigFile(process.env.BASELINE_CONFIG || EXAMPLE_CONFIG_PATH);
  // The management account has no AssumeRoot: its root user is the organization's own, kept apart.
  const members = organizationAccounts(config).filter((account) => account.role !== 'management');
  const audit = await auditRootCredentials(members, awsRootCredentialsApi(defaultAwsOptions(config.regions.home)));
  process.stdout.write(renderAudit(audit));
  process.exitCode = auditExitCode(audit);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? '' : 'root-credentials: '}${(error as Error).message}\n`);
  process.exit(1);
});
