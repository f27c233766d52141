import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProcessFigures {
  /** Median wall time of the runs, in seconds. */
  readonly seconds: number;
  /** Median CPU time of the runs (user and system, every process of a run), in seconds. */
  readonly cpuSeconds: number;
  /** Largest peak resident memory of one process of the runs, in MB. */
  readonly peakMb: number;
  /**
   * Largest sum, over the processes of one run (the synth and its workers), of each one's peak resident memory, in MB:
   * an upper bound of the memory they held at once.
   */
  readonly peakAllMb: number;
  readonly runs: number;
}

/** One run's figures: wall time, then what each process of the run wrote on exit. */
function usageOf(file: string): { cpuSeconds: number; peakKb: number; peakAllKb: number } {
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { maxRssKb: number; cpuMicros: number });
  return {
    cpuSeconds: lines.reduce((sum, line) => sum + line.cpuMicros, 0) / 1e6,
    peakKb: Math.max(...lines.map((line) => line.maxRssKb)),
    peakAllKb: lines.reduce((sum, line) => sum + line.maxRssKb, 0),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const USAGE_PRELOAD = path.join(__dirname, 'usage-on-exit.cjs');

interface Measured {
  readonly args: string[];
  readonly cwd: string;
  readonly env?: Record<string, string>;
}

/** Runs one `node <args>` process in `dir` and returns its wall time and usage. */
function runOnce(measured: Measured, dir: string, tmp: string, run: number) {
  const usageFile = path.join(dir, `usage-${run}.jsonl`);
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', USAGE_PRELOAD, ...measured.args], {
    cwd: measured.cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...measured.env, TMPDIR: tmp, BENCH_USAGE_FILE: usageFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`node ${measured.args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { seconds, ...usageOf(usageFile) };
}

/**
 * Runs each of the commands as a whole process `runs` times, interleaved (a, b, a, b, ...), so that a change in the
 * machine's load reaches each alike, and returns each one's median figures.
 */
export function measureInterleaved(commands: Measured[], runs = 3): ProcessFigures[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-bench-'));
  // The measured process gets a temporary directory of its own, removed with `dir`: whatever it writes there (the
  // synth's package cache, say) does not outlive the bench. The TypeScript loader's compile cache is linked in, so
  // that the figures are those of a warm start, as a user's second run is.
  const tmp = path.join(dir, 'tmp');
  mkdirSync(tmp);
  const loaderCache = `tsx-${os.userInfo().uid}`;
  if (existsSync(path.join(os.tmpdir(), loaderCache))) symlinkSync(path.join(os.tmpdir(), loaderCache), path.join(tmp, loaderCache));
  try {
    const all = commands.map(() => [] as ReturnType<typeof runOnce>[]);
    for (let run = 0; run < runs; run++) {
      commands.forEach((command, index) => all[index].push(runOnce(command, dir, tmp, run * commands.length + index)));
    }
    return all.map((figures) => ({
      seconds: median(figures.map((figure) => figure.seconds)),
      cpuSeconds: median(figures.map((figure) => figure.cpuSeconds)),
      peakMb: Math.max(...figures.map((figure) => figure.peakKb)) / 1024,
      peakAllMb: Math.max(...figures.map((figure) => figure.peakAllKb)) / 1024,
      runs,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `node <args>` as a whole process `runs` times and returns its median wall time and peak memory. */
export function measureNode(args: string[], options: { cwd: string; env?: Record<string, string>; runs?: number }): ProcessFigures {
  return measureInterleaved([{ args, cwd: options.cwd, env: options.env }], options.runs ?? 3)[0];
}

export function formatFigures(label: string, figures: ProcessFigures): string {
  const memory = figures.peakAllMb > figures.peakMb + 0.5 ? `${figures.peakMb.toFixed(0)} MB one process, ${figures.peakAllMb.toFixed(0)} MB all` : `${figures.peakMb.toFixed(0)} MB`;
  return `${label.padEnd(58)} ${figures.seconds.toFixed(2).padStart(7)} s wall ${figures.cpuSeconds.toFixed(2).padStart(7)} s CPU  ${memory}  (median of ${figures.runs})`;
}
