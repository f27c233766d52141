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

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
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
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const configPath = process.env.BASELINE_CONFIG ? path.resolve(process.cwd(), process.env.BASELINE_CONFIG) : EXAMPLE_CONFIG_PATH;
  const config = loadConfigFile(configPath);
  const rules = huntRules(config);
  if (values.list) {
    for (const rule of rules) process.stdout.write(`${rule.id.padEnd(34)} ${rule.title}\n`);
    return;
  }
  if (!values.rule) fail('Missing --rule');
  const rule = rules.find((candidate) => candidate.id === values.rule);
  if (!rule) {
    const known = HUNT_RULE_IDS.includes(values.rule) ? ' (turned off in the configuration)' : '';
    fail(`Unknown rule ${JSON.stringify(values.rule)}${known}; --list shows the rules`);
  }
  if (!values.from || !values.to) fail('Missing --from or --to: every hunt is bounded by days');
  const split = (list?: string) => (list ? list.split(',').map((item) => item.trim()).filter(Boolean) : undefined);
  const byName = new Map(organizationAccounts(config).map((account) => [account.name, account.id]));
  const accounts = split(values.accounts)?.map((account) => byName.get(account) ?? account);
  const names = new BaselineNames(config);
  try {
    const sql = huntSql(`"${names.huntingDatabaseName}"."${CLOUDTRAIL_TABLE}"`, rule, {
      from: values.from,
      to: values.to,
      accounts,
      regions: split(values.regions),
    });
    process.stdout.write(`${sql}\n`);
  } catch (error) {
    fail((error as Error).message);
  }
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
