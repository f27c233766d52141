import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformStack } from 'cdktf';
import type { BaselineConfig } from '../../config/schema';
import { buildBaselineApp } from '../../lib/app';
import { evaluatePolicyRules, type RuleFinding } from '../../lib/rules';
import { withoutTokenTraces } from '../../lib/synth/token-traces';
import { readSynthesizedStacks, type SynthesizedStacks } from './synthesized-stacks';

export interface CurrentBaseline {
  readonly stacks: SynthesizedStacks;
  readonly findings: readonly RuleFinding[];
}

/**
 * Synthesizes a configuration exactly as `npm run synth` does (into a scratch directory) and evaluates the policy
 * rules on every stack. Rule failures are reported, not thrown, so that the report can show them.
 */
export function synthesizeCurrent(config: BaselineConfig): CurrentBaseline {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'baseline-report-'));
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  try {
    // As the synth does: no trace for cdktf's tokens, which nothing reads (lib/synth/token-traces.ts).
    const app = withoutTokenTraces(() => {
      const built = buildBaselineApp(config, { outdir });
      built.synth();
      return built;
    });
    const findings = app.node
      .findAll()
      .filter((construct): construct is TerraformStack => TerraformStack.isStack(construct))
      .flatMap((stack) => evaluatePolicyRules(stack));
    return { stacks: readSynthesizedStacks(outdir), findings };
  } finally {
    if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
}
