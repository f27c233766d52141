import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';

/*
 * moto's server, started for one rehearsal on a free loopback port and stopped at its end. .ci/run installs it into
 * .venv-emulator/ from tools/python/.
 *
 * Its output goes to a file, never to a pipe: the rehearsal runs terraform with spawnSync, which blocks this process's
 * event loop for minutes, so nothing would drain a pipe. moto logs one line per request; once the pipe's buffer is
 * full, moto blocks writing its log in the middle of a request, and the provider waits for an answer that never comes.
 */

export const EMULATOR_VENV = path.join(__dirname, '..', '..', '.venv-emulator');

/*
 * moto's settings for the rehearsal. AWS managed policies (AWSSupportAccess, AWSConfigRoleForOrganizations, ...) exist
 * in every AWS account; moto 5 loads them only when asked, and otherwise answers AttachRolePolicy with NoSuchEntity.
 */
export const EMULATOR_SETTINGS: Readonly<Record<string, string>> = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };

export interface Emulator {
  readonly endpoint: string;
  /** The file moto's server writes its log to. */
  readonly logFile: string;
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

/** The last `bytes` of a log file, for error messages. */
export function tailOfFile(file: string, bytes = 20_000): string {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

/** Starts moto's server; its log goes to `logFile`. */
export async function startEmulator(logFile: string): Promise<Emulator> {
  const binary = path.join(EMULATOR_VENV, 'bin', 'moto_server');
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} is missing: create it with "python3 -m venv .venv-emulator && .venv-emulator/bin/pip install -r tools/python/emulator-requirements.txt -c tools/python/emulator-constraints.txt" (.ci/run does)`,
    );
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const log = openSync(logFile, 'a');
  let server: ChildProcess;
  try {
    server = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log], env: { ...process.env, ...EMULATOR_SETTINGS } });
  } finally {
    closeSync(log); // The child holds its own copy of the descriptor.
  }
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`moto_server exited (${server.exitCode}):\n${tailOfFile(logFile)}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return { endpoint, logFile, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s:\n${tailOfFile(logFile)}`);
}
