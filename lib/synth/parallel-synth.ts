import { type ChildProcess, fork } from 'node:child_process';
import type { BaselineConfig } from '../../config/schema';
import { type ChunkResult, chunks, synthesizeChunk } from './stack-chunks';

/*
 * The synth of a whole organization in worker processes: the parent hands out chunks of stacks one at a time (a worker
 * that finishes early takes the next), each worker synthesizes its chunk straight into the output's scratch directory
 * and answers with the chunk's summary and manifest entries. Memory is one chunk per worker, whatever the size of the
 * organization; the manifest is written by the parent once every chunk is in.
 */

/** Set in a worker's environment; the synth's entry point then serves chunks instead of parsing a command line. */
export const WORKER_ENVIRONMENT = 'BASELINE_SYNTH_WORKER';

interface SetupMessage {
  readonly type: 'setup';
  readonly config: BaselineConfig;
  readonly outdir: string;
  readonly hclOutput?: boolean;
}
interface ChunkMessage {
  readonly type: 'chunk';
  readonly index: number;
  readonly stacks: readonly string[];
}
type ParentMessage = SetupMessage | ChunkMessage;
type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly index: number; readonly result: ChunkResult }
  | { readonly type: 'failed'; readonly index: number; readonly message: string; readonly stack?: string };

/** A chunk that failed in a worker: the worker's message, and its trace for errors that are not the user's. */
export class WorkerSynthError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
    this.name = 'WorkerSynthError';
  }
}

/**
 * Synthesizes `stacks` into `outdir` in `jobs` worker processes started from `entry` (the synth's own entry point,
 * with this process's node options), and returns each chunk's result in the order of `stacks`.
 */
export function synthesizeInWorkers(
  config: BaselineConfig,
  stacks: readonly string[],
  options: { readonly outdir: string; readonly hclOutput?: boolean; readonly jobs: number; readonly entry: string },
): Promise<ChunkResult[]> {
  const pending = chunks(stacks).map((names, index) => ({ index, names }));
  const results: ChunkResult[] = new Array(pending.length);
  const workers: ChildProcess[] = [];
  const workerCount = Math.max(1, Math.min(options.jobs, pending.length));
  return new Promise<ChunkResult[]>((resolve, reject) => {
    let remaining = pending.length;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (!error) {
        for (const worker of workers) if (worker.connected) worker.disconnect();
        return resolve(results);
      }
      // Every worker is stopped, and gone, before the caller removes the directory they write into.
      const running = workers.filter((worker) => worker.exitCode === null && worker.signalCode === null);
      if (running.length === 0) return reject(error);
      let left = running.length;
      for (const worker of running) {
        worker.once('exit', () => {
          if (--left === 0) reject(error);
        });
        worker.kill();
      }
    };
    const next = (worker: ChildProcess) => {
      const chunk = pending.shift();
      if (chunk) worker.send({ type: 'chunk', index: chunk.index, stacks: chunk.names } satisfies ParentMessage);
      else worker.disconnect();
    };
    for (let count = 0; count < workerCount; count++) {
      const worker = fork(options.entry, [], {
        env: { ...process.env, [WORKER_ENVIRONMENT]: '1' },
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      workers.push(worker);
      worker.on('message', (message: WorkerMessage) => {
        // Node drops a message that arrives before the child listens: the worker says when it does.
        if (message.type === 'ready') {
          worker.send({ type: 'setup', config, outdir: options.outdir, hclOutput: options.hclOutput } satisfies ParentMessage);
          return next(worker);
        }
        if (message.type === 'failed') return finish(new WorkerSynthError(message.message, message.stack));
        results[message.index] = message.result;
        remaining--;
        if (remaining === 0) finish();
        else next(worker);
      });
      worker.on('exit', (code, signal) => {
        if (!settled && remaining > 0 && (code !== 0 || signal)) finish(new Error(`a synth worker stopped (${signal ?? `exit code ${code}`}) before its chunk was done`));
      });
      worker.on('error', (error) => finish(error));
    }
  });
}

/** The worker's side: synthesizes each chunk it is sent, until the parent disconnects. */
export function serveChunks(): void {
  let setup: SetupMessage | undefined;
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'setup') {
      setup = message;
      return;
    }
    try {
      if (!setup) throw new Error('a chunk came before the setup');
      const result = synthesizeChunk(setup.config, message.stacks, {
        outdir: setup.outdir,
        scratch: `.chunk-${process.pid}-${message.index}`,
        hclOutput: setup.hclOutput,
      });
      process.send!({ type: 'done', index: message.index, result } satisfies WorkerMessage);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      process.send!({ type: 'failed', index: message.index, message: failure.message, stack: failure.stack } satisfies WorkerMessage);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready' } satisfies WorkerMessage);
}
