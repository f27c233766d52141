import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { CLOUDTRAIL_TABLE } from '../lib/hunting/log-hunting';
import { HUNT_RULE_IDS, huntRules, huntSql } from '../lib/hunting/hunt-queries';
import { BaselineNames, organizationAccounts } from '../lib/naming';

const USAGE = `Usage: npm run hunt -- --rule <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--accounts <ids or names>] [--regions <names>]
       npm run hunt -- --list
  Prints the Athena SQL that finds a rule's events in the log archive, bounded by the date partitions (and by accounts
  and regions when given), for the configuration in BASELINE_CONFIG (or the example). Run it in the Athena console, in
  the workgroup the baseline creates, or with the AWS CLI:
    npm run -s hunt -- --rule root-account-usage --from 2026-11-01 --to 2026-11-30 > hunt.sql
    aws athena start-query-execution --work-group <prefix>-log-hunting --query-string file://hunt.sql
  --rule <id>          the rule to hunt (--list shows them)
  --from, --to <day>   the first and last day, UTC, both included
  --accounts <list>    comma-separated account ids or account names of the configuration
  --regions <list>     comma-separated region names
  --list               list the rules and exit
  --help               this text`;

/** What a run of the command printed and how it ended. */
export interface HuntRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

class UsageError extends Error {}

/** The command, without the process: arguments and the configuration path in, output and exit status out. */
export function runHunt(args: readonly string[], configPath: string, now: Date = new Date()): HuntRun {
  try {
    const warnings: string[] = [];
    const stdout = hunt(args, configPath, now, warnings);
    return { status: 0, stdout, stderr: warnings.map((warning) => `warning: ${warning}\n`).join('') };
  } catch (error) {
    if (error instanceof UsageError) return { status: 2, stdout: '', stderr: `${error.message}\n\n${USAGE}\n` };
    if (error instanceof ConfigError) return { status: 1, stdout: '', stderr: `${error.message}\n` };
    throw error;
  }
}

function hunt(args: readonly string[], configPath: string, now: Date, warnings: string[]): string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        rule: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        accounts: { type: 'string' },
        regions: { type: 'string' },
        list: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return `${USAGE}\n`;
  const config = loadConfigFile(configPath);
  const rules = huntRules(config);
  if (values.list) return rules.map((rule) => `${rule.id.padEnd(34)} ${rule.title}\n`).join('');
  if (!values.rule) throw new UsageError('Missing --rule');
  const rule = rules.find((candidate) => candidate.id === values.rule);
  if (!rule) {
    const known = HUNT_RULE_IDS.includes(values.rule) ? ' (turned off in the configuration)' : '';
    throw new UsageError(`Unknown rule ${JSON.stringify(values.rule)}${known}; --list shows the rules`);
  }
  if (!values.from || !values.to) throw new UsageError('Missing --from or --to: every hunt is bounded by days');
  const split = (list?: string) => (list ? list.split(',').map((item) => item.trim()).filter(Boolean) : undefined);
  const byName = new Map(organizationAccounts(config).map((account) => [account.name, account.id]));
  const accounts = split(values.accounts)?.map((account) => byName.get(account) ?? account);
  // Athena skips objects in the GLACIER storage class, where the log bucket moves logs after glacierAfterDays.
  // https://docs.aws.amazon.com/athena/latest/ug/other-notable-limitations.html
  const glacierDays = config.logArchive.lifecycle.glacierAfterDays;
  if (Date.parse(`${values.from}T00:00:00Z`) < now.getTime() - glacierDays * 24 * 3600 * 1000) {
    warnings.push(
      `logs older than ${glacierDays} days (logArchive.lifecycle.glacierAfterDays) are in S3 Glacier, which Athena skips: restore them to a copy outside the archive to hunt there`,
    );
  }
  const names = new BaselineNames(config);
  try {
    const sql = huntSql(`"${names.huntingDatabaseName}"."${CLOUDTRAIL_TABLE}"`, rule, {
      from: values.from,
      to: values.to,
      accounts,
      regions: split(values.regions),
    });
    return `${sql}\n`;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

if (require.main === module) {
  const configPath = process.env.BASELINE_CONFIG ? path.resolve(process.cwd(), process.env.BASELINE_CONFIG) : EXAMPLE_CONFIG_PATH;
  const run = runHunt(process.argv.slice(2), configPath);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  process.exitCode = run.status;
}
