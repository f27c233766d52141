import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import type { BaselineConfig } from '../../config/schema';
import { organizationAccounts } from '../../lib/naming';
import { LogArchiveStack } from '../../stacks/log-archive-stack';
import type { SynthesizedStack } from '../helpers';

/** The log-archive stack of a configuration, synthesized alone (the other stacks are not built). */
export function synthLogArchive(config: BaselineConfig): SynthesizedStack {
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'log-archive-test-')) });
  const account = organizationAccounts(config).find((candidate) => candidate.role === 'log-archive')!;
  const stack = new LogArchiveStack(app, 'log-archive', { config, account });
  return JSON.parse(Testing.synth(stack)) as SynthesizedStack;
}
