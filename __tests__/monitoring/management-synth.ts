import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import type { BaselineConfig } from '../../config/schema';
import { organizationAccounts } from '../../lib/naming';
import { ManagementStack } from '../../stacks/management-stack';
import { exampleConfig, type SynthesizedStack } from '../helpers';

/** The management stack alone (the other stacks are not built), so that its tests depend on nothing else. */
export function buildManagement(config: BaselineConfig = exampleConfig()): ManagementStack {
  const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
  const account = organizationAccounts(config).find((candidate) => candidate.role === 'management')!;
  return new ManagementStack(app, 'management', { config, account });
}

/** The management stack's Terraform JSON. */
export function synthManagement(config: BaselineConfig = exampleConfig()): SynthesizedStack {
  return JSON.parse(Testing.synth(buildManagement(config))) as SynthesizedStack;
}
