import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSynthesizedStacks, type SynthesizedStacks } from './synthesized-stacks';

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/**
 * Synthesizes the baseline as it was at a git ref: the ref's files are exported (git archive, which leaves the
 * repository untouched) to a scratch directory that shares this checkout's node_modules, and its own `main.ts` runs
 * with the configuration given (or the ref's own example).
 */
export function synthesizeGitRef(ref: string, projectRoot: string, configPath: string | undefined): SynthesizedStacks {
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'baseline-base-'));
  try {
    const archive = path.join(checkout, 'source.tar');
    run('git', ['archive', '--format=tar', `--output=${archive}`, ref], { cwd: projectRoot });
    run('tar', ['-xf', archive], { cwd: checkout });
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(checkout, 'node_modules'));
    const outdir = path.join(checkout, 'cdktf.out');
    run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: checkout,
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        CDKTF_OUTDIR: outdir,
        // The base shows what was deployable then; policy failures there are not this change's to report.
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
        ...(configPath ? { BASELINE_CONFIG: path.resolve(configPath) } : { BASELINE_CONFIG: '' }),
      },
    });
    return readSynthesizedStacks(outdir);
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

/** The base to compare with: an output directory, or a git ref to synthesize. */
export function readBase(base: { dir?: string; ref?: string }, projectRoot: string, configPath: string | undefined): SynthesizedStacks {
  if (base.dir) {
    if (!existsSync(base.dir)) throw new Error(`--base ${base.dir}: no such directory`);
    return readSynthesizedStacks(base.dir);
  }
  return synthesizeGitRef(base.ref!, projectRoot, configPath);
}
