import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configPathFromEnvironment, loadConfigFile } from '../config/load';
import { ConfigError } from '../config/problems';
import { ciProblem, githubWorkflow, matrixOutputs } from '../lib/synth/ci-workflow';
import { deployPlan } from '../lib/synth/deploy-plan';
import { defineCommand, runCommand, userPath } from './command-line/flags';

const CI_WORKFLOW = defineCommand({
  name: 'npm run ci-workflow --',
  summary:
    'Prints the GitHub Actions workflow that plans every stack on a pull request and applies them on a merge, wave\n' +
    'after wave, one job per stack, from the deploy plan of the configuration (the plan the synth writes).',
  flags: {
    output: { value: 'file', description: 'write the workflow to the file instead of printing it' },
    matrix: { description: "print each wave's job matrix as GitHub step outputs (the workflow's first job runs this)" },
  },
  environment: { BASELINE_CONFIG: 'the configuration file, relative to your directory (default: config/example.json)' },
});

function ciWorkflow(flags: Readonly<Record<string, string | true>>): void {
  let plan;
  try {
    plan = deployPlan(loadConfigFile(configPathFromEnvironment()));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  if (flags.matrix) {
    // Refused where it would do harm: applying from a runner with local state.
    const problem = ciProblem(plan);
    if (problem) {
      process.stderr.write(`${problem}\n`);
      process.exit(1);
    }
    process.stdout.write(matrixOutputs(plan));
    return;
  }
  // The workflow runs from the project root: it names the configuration from there.
  const configPath = process.env.BASELINE_CONFIG ? path.relative(path.join(__dirname, '..'), configPathFromEnvironment()).split(path.sep).join('/') : undefined;
  const workflow = githubWorkflow(plan, { configPath });
  if (typeof flags.output === 'string') writeFileSync(userPath(flags.output), workflow);
  else process.stdout.write(workflow);
}

runCommand(CI_WORKFLOW, process.argv.slice(2), ({ flags }) => ciWorkflow(flags));
