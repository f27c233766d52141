import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configWith, exampleConfig, PROJECT_ROOT } from '../helpers';
import { MAX_MATRIX_JOBS, ciProblem, githubWorkflow, matrixOutputs, waveMatrix } from '../../lib/synth/ci-workflow';
import { type DeployPlan, deployPlan } from '../../lib/synth/deploy-plan';

/* The GitHub Actions workflow, checked against the deploy plan it is generated from. */

// js-yaml comes with jest's own dependencies; only its load function is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load: (text: string) => unknown };

interface Job {
  needs?: string[];
  outputs?: Record<string, string>;
  strategy?: { matrix: string };
  steps: { run?: string; if?: string; name?: string; uses?: string }[];
}

const s3Config = () =>
  configWith((input) => {
    input.deployment = { backend: { type: 's3', bucket: 'acme-terraform-state', region: 'eu-west-1' } };
  });

/** What the workflow's first job puts in $GITHUB_OUTPUT, read back as GitHub does: one `name=value` a line. */
function outputs(plan: DeployPlan): Record<string, { include: { name: string; stacks: string[] }[] }> {
  return Object.fromEntries(
    matrixOutputs(plan)
      .trimEnd()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), JSON.parse(line.slice(line.indexOf('=') + 1))]),
  );
}

describe('the CI workflow', () => {
  it('has one job per wave, each after the one before, fed by the matrix output of its wave', () => {
    const plan = deployPlan(s3Config());
    const workflow = load(githubWorkflow(plan)) as { on: Record<string, unknown>; jobs: Record<string, Job> };
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const waves = plan.waves.map((_, index) => `wave-${index + 1}`);
    expect(Object.keys(workflow.jobs)).toEqual(['deploy-plan', ...waves]);
    expect(Object.keys(workflow.jobs['deploy-plan'].outputs!)).toEqual(waves);
    expect(workflow.jobs['deploy-plan'].steps.at(-1)!.run).toBe('npm run -s ci-workflow -- --matrix >> "$GITHUB_OUTPUT"');
    waves.forEach((wave, index) => {
      const job = workflow.jobs[wave];
      expect(job.needs).toEqual(index === 0 ? ['deploy-plan'] : ['deploy-plan', waves[index - 1]]);
      expect(job.strategy!.matrix).toBe(`\${{ fromJSON(needs.deploy-plan.outputs.${wave}) }}`);
      // Builds only its own stacks, plans on a pull request, applies on a merge.
      expect(job.steps.map((step) => step.run ?? step.uses).join('\n')).toContain("npm run synth -- --quiet $(printf -- '--stack %s ' ${{ join(matrix.stacks, ' ') }})");
      expect(job.steps.find((step) => step.name === 'plan')).toMatchObject({ if: "github.event_name == 'pull_request'" });
      expect(job.steps.find((step) => step.name === 'plan')!.run).toContain('plan -input=false');
      expect(job.steps.find((step) => step.name === 'apply')).toMatchObject({ if: "github.event_name == 'push'" });
      expect(job.steps.find((step) => step.name === 'apply')!.run).toContain('apply -input=false -auto-approve');
    });
  });

  it("gives each wave's matrix every stack of that wave in the plan, once, one job per stack", () => {
    const plan = deployPlan(s3Config());
    const matrices = outputs(plan);
    expect(Object.keys(matrices)).toEqual(plan.waves.map((_, index) => `wave-${index + 1}`));
    plan.waves.forEach((stacks, index) => {
      const include = matrices[`wave-${index + 1}`].include;
      expect(include.map((entry) => entry.stacks)).toEqual(stacks.map((stack) => [stack]));
      expect(include.map((entry) => entry.name)).toEqual(stacks);
    });
  });

  it('keeps a wave of more stacks than GitHub runs from one matrix within its 256 jobs, every stack once', () => {
    const stacks = Array.from({ length: 1000 }, (_, index) => `account-${index}`);
    const { include } = waveMatrix(stacks);
    expect(include.length).toBeLessThanOrEqual(MAX_MATRIX_JOBS);
    expect(include.flatMap((entry) => entry.stacks)).toEqual(stacks);
    expect(include[0].name).toBe('account-0 … account-3 (4 stacks)');
  });

  it('refuses to hand out matrices for a local backend: a runner would lose the state', () => {
    expect(ciProblem(deployPlan(exampleConfig()))).toMatch(/^deployment\.backend: got "local"; expected an "s3" backend for CI/);
    expect(ciProblem(deployPlan(s3Config()))).toBeUndefined();
  });

  it('is the workflow docs/review-and-pipelines.md gives', () => {
    const docs = readFileSync(path.join(PROJECT_ROOT, 'docs', 'review-and-pipelines.md'), 'utf8');
    const block = /<!-- generated: npm run ci-workflow -->\n```yaml\n([\s\S]*?)```/.exec(docs);
    expect(block?.[1]).toBe(githubWorkflow(deployPlan(exampleConfig())));
  });
});
