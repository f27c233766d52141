import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/*
 * moto's server, started for one rehearsal on a free loopback port and stopped at its end. .ci/run installs it into
 * .venv-emulator/ from tools/python/.
 */

export const EMULATOR_VENV = path.join(__dirname, '..', '..', '.venv-emulator');

export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startEmulator(): Promise<Emulator> {
  const binary = path.join(EMULATOR_VENV, 'bin', 'moto_server');
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: create it with "python3 -m venv .venv-emulator && .venv-emulator/bin/pip install -r tools/python/emulator-requirements.txt -c tools/python/emulator-constraints.txt" (.ci/run does)`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const server: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  server.stderr!.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`moto_server exited (${server.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s:\n${output}`);
}
