import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findProviderMirror } from './provider-mirror';
import { terraformCliConfig } from './terraform-cli-config';

/*
 * Runs the terraform binary on a stack directory with the proof tools' CLI configuration (offline mirror, shared plugin
 * cache), and shares one dependency lock file between stacks so that only the first `init` resolves the provider.
 */

const COMMAND_TIMEOUT_MS = Number(process.env.TERRAFORM_COMMAND_TIMEOUT_SECONDS ?? 480) * 1000;

export interface TerraformResult {
  readonly ok: boolean;
  readonly status: number | null;
  readonly output: string;
  readonly seconds: number;
}

export class TerraformRunner {
  readonly env: NodeJS.ProcessEnv;
  private readonly lockFile: string;

  /** `workDir` holds the CLI configuration, the plugin cache and the shared lock file. */
  constructor(workDir: string, extraEnv: NodeJS.ProcessEnv = {}) {
    mkdirSync(workDir, { recursive: true });
    const mirror = findProviderMirror();
    const cache = path.join(workDir, 'plugin-cache');
    mkdirSync(cache, { recursive: true });
    const cliConfig = path.join(workDir, 'terraform.rc');
    writeFileSync(cliConfig, terraformCliConfig(mirror, cache));
    this.lockFile = path.join(workDir, '.terraform.lock.hcl');
    this.env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      ...extraEnv,
    };
  }

  run(stackDir: string, args: string[]): TerraformResult {
    const started = Date.now();
    const result = spawnSync('terraform', args, {
      cwd: stackDir,
      env: this.env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      // A provider retrying an emulator error must not hang the run; SIGINT lets terraform save its state first.
      timeout: COMMAND_TIMEOUT_MS,
      killSignal: 'SIGINT',
    });
    // Node reports a time-out as ETIMEDOUT, whether terraform died of the signal or exited on it.
    const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
    // terraform stops its providers when it exits normally; after a time-out one may still be waiting on the emulator.
    if (timedOut) stopProcessesIn(stackDir);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}${timedOut ? `\nError: terraform ${args[0]} stopped after ${COMMAND_TIMEOUT_MS / 60000} minutes` : ''}`;
    return { ok: result.status === 0, status: result.status, output, seconds: (Date.now() - started) / 1000 };
  }

  /** `terraform init -backend=false` (or with the stack's local backend), reusing the lock file of an earlier init. */
  init(stackDir: string, { backend = false }: { backend?: boolean } = {}): TerraformResult {
    const stackLock = path.join(stackDir, '.terraform.lock.hcl');
    if (existsSync(this.lockFile) && !existsSync(stackLock)) copyFileSync(this.lockFile, stackLock);
    const result = this.run(stackDir, ['init', '-input=false', '-no-color', ...(backend ? [] : ['-backend=false'])]);
    if (result.ok && !existsSync(this.lockFile) && existsSync(stackLock)) copyFileSync(stackLock, this.lockFile);
    return result;
  }
}

/**
 * Stops every process still working in `dir` (a stack directory of the tool's own temporary working directory): what a
 * stopped terraform command left behind, its providers reparented away from it. Linux's /proc; elsewhere a no-op.
 */
export function stopProcessesIn(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return;
  }
  const target = path.resolve(dir);
  for (const pid of entries) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) === target && Number(pid) !== process.pid) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Gone already, or not ours to read.
    }
  }
}

/** The last `lines` lines of a command's output, for failure messages. */
export function tail(output: string, lines = 40): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
