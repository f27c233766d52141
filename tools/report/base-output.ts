import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSynthesizedStacks, type SynthesizedStacks } from './synthesized-stacks';

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${result.stderr || result.stdout}`);
  return result.stdout;
}

/** A base and what it was built from. */
export interface Base {
  readonly stacks: SynthesizedStacks;
  /** How the base was made, for the report: `git ref main, configuration config/org.json as it was there`. */
  readonly label: string;
}

/** The configuration of the base: the file's content at the ref when git tracks it, else what there is to say. */
type BaseConfiguration =
  | { readonly kind: 'example' }
  | { readonly kind: 'at-ref'; readonly text: string; readonly shown: string }
  | { readonly kind: 'absent-at-ref'; readonly shown: string }
  | { readonly kind: 'untracked'; readonly file: string };

function baseConfiguration(ref: string, projectRoot: string, configPath: string | undefined): BaseConfiguration {
  if (!configPath) return { kind: 'example' };
  const repository = realpathSync(run('git', ['rev-parse', '--show-toplevel'], { cwd: projectRoot }).trim());
  const file = existsSync(configPath) ? realpathSync(configPath) : path.resolve(configPath);
  const relative = path.relative(repository, file).split(path.sep).join('/');
  const tracked = !relative.startsWith('..') && !path.isAbsolute(relative) &&
    spawnSync('git', ['ls-files', '--error-unmatch', '--', relative], { cwd: repository, encoding: 'utf8' }).status === 0;
  if (!tracked) return { kind: 'untracked', file };
  const atRef = spawnSync('git', ['show', `${ref}:${relative}`], { cwd: repository, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (atRef.status !== 0) return { kind: 'absent-at-ref', shown: relative };
  return { kind: 'at-ref', text: atRef.stdout, shown: relative };
}

/**
 * Synthesizes the baseline as it was at a git ref: the ref's files are exported (git archive, which leaves the
 * repository untouched) to a scratch directory that shares this checkout's node_modules, and its own `main.ts` runs
 * with the configuration file as it was at the ref (or the ref's own example). A configuration git does not track has
 * no past: its current content is used, and the label says so.
 */
export function synthesizeGitRef(ref: string, projectRoot: string, configPath: string | undefined): Base {
  const configuration = baseConfiguration(ref, projectRoot, configPath);
  if (configuration.kind === 'absent-at-ref') {
    return { stacks: {}, label: `git ref ${ref}, where ${configuration.shown} did not exist (every address is new)` };
  }
  const checkout = mkdtempSync(path.join(os.tmpdir(), 'baseline-base-'));
  try {
    const archive = path.join(checkout, 'source.tar');
    run('git', ['archive', '--format=tar', `--output=${archive}`, ref], { cwd: projectRoot });
    run('tar', ['-xf', archive], { cwd: checkout });
    symlinkSync(path.join(projectRoot, 'node_modules'), path.join(checkout, 'node_modules'));
    const outdir = path.join(checkout, 'cdktf.out');
    let baselineConfig = '';
    let label = `git ref ${ref}, its example configuration`;
    if (configuration.kind === 'at-ref') {
      baselineConfig = path.join(checkout, '.base-configuration.json');
      writeFileSync(baselineConfig, configuration.text);
      label = `git ref ${ref}, configuration ${configuration.shown} as it was there`;
    } else if (configuration.kind === 'untracked') {
      baselineConfig = configuration.file;
      label = `git ref ${ref}, with today's ${configuration.file} (not tracked by git, so it has no earlier version)`;
    }
    run(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: checkout,
      env: {
        ...process.env,
        CHECKPOINT_DISABLE: '1',
        CDKTF_OUTDIR: outdir,
        // The base shows what was deployable then; policy failures there are not this change's to report.
        CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
        BASELINE_CONFIG: baselineConfig,
      },
    });
    return { stacks: readSynthesizedStacks(outdir), label };
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

/** The base to compare with: an output directory, or a git ref to synthesize. */
export function readBase(base: { dir?: string; ref?: string }, projectRoot: string, configPath: string | undefined): Base {
  if (base.dir) {
    if (!existsSync(base.dir)) throw new Error(`--base ${base.dir}: no such directory`);
    return { stacks: readSynthesizedStacks(base.dir), label: `directory ${base.dir}` };
  }
  return synthesizeGitRef(base.ref!, projectRoot, configPath);
}
