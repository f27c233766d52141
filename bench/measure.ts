import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProcessFigures {
  /** Median wall time of the runs, in seconds. */
  readonly seconds: number;
  /** Largest peak resident memory of the runs, in MB. */
  readonly peakMb: number;
  readonly runs: number;
}

const USAGE_PRELOAD = path.join(__dirname, 'usage-on-exit.cjs');

/** Runs `node <args>` as a whole process `runs` times and returns its median wall time and peak memory. */
export function measureNode(args: string[], options: { cwd: string; env?: Record<string, string>; runs?: number }): ProcessFigures {
  const runs = options.runs ?? 3;
  const times: number[] = [];
  let peakKb = 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-bench-'));
  // The measured process gets a temporary directory of its own, removed with `dir`: whatever it writes there (the
  // synth's package cache, say) does not outlive the bench. The TypeScript loader's compile cache is linked in, so
  // that the figures are those of a warm start, as a user's second run is.
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const loaderCache = `tsx-${os.userInfo().uid}`;
  if (existsSync(path.join(os.tmpdir(), loaderCache))) symlinkSync(path.join(os.tmpdir(), loaderCache), path.join(tmp, loaderCache));
  try {
    for (let run = 0; run < runs; run++) {
      const usageFile = path.join(dir, `usage-${run}.json`);
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['--require', USAGE_PRELOAD, ...args], {
        cwd: options.cwd,
        env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env, TMPDIR: tmp, BENCH_USAGE_FILE: usageFile },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 0) {
        throw new Error(`node ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
      }
      times.push(seconds);
      peakKb = Math.max(peakKb, JSON.parse(readFileSync(usageFile, 'utf8')).maxRssKb);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], peakMb: peakKb / 1024, runs };
}

export function formatFigures(label: string, figures: ProcessFigures): string {
  return `${label.padEnd(58)} ${figures.seconds.toFixed(2).padStart(7)} s ${figures.peakMb.toFixed(0).padStart(7)} MB  (median of ${figures.runs})`;
}
