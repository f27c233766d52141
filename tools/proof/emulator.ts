import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
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
const PROXY_SCRIPT = path.join(__dirname, '..', 'python', 'loopback_proxy.py');

/*
 * moto's settings for the rehearsal. AWS managed policies (AWSSupportAccess, AWSConfigRoleForOrganizations, ...) exist
 * in every AWS account; moto 5 loads them only when asked, and otherwise answers AttachRolePolicy with NoSuchEntity.
 */
export const EMULATOR_SETTINGS: Readonly<Record<string, string>> = { MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };

export interface Emulator {
  readonly endpoint: string;
  /** A forward proxy to the emulator (tools/python/loopback_proxy.py), for S3 Control's `<account>.<host>` names. */
  readonly proxy: string;
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
  const proxyPort = await freePort();
  const proxy = `http://127.0.0.1:${proxyPort}`;
  const proxyLog = openSync(logFile, 'a');
  let forwarder: ChildProcess;
  try {
    forwarder = spawn(path.join(EMULATOR_VENV, 'bin', 'python'), [PROXY_SCRIPT, String(proxyPort), String(port)], { stdio: ['ignore', proxyLog, proxyLog] });
  } finally {
    closeSync(proxyLog);
  }
  const stopOne = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  };
  const stop = async () => {
    await stopOne(forwarder);
    await stopOne(server);
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`moto_server exited (${server.exitCode}):\n${tailOfFile(logFile)}`);
    if (forwarder.exitCode !== null) throw new Error(`${path.basename(PROXY_SCRIPT)} exited (${forwarder.exitCode}):\n${tailOfFile(logFile)}`);
    try {
      // The S3 Control form of a request, through the proxy: moto answers it once both are listening.
      if ((await fetch(`${endpoint}/moto-api/`)).ok && (await answersThroughProxy(proxyPort, port))) return { endpoint, proxy, logFile, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`moto_server or its proxy did not answer on ${endpoint} / ${proxy} within 60 s:\n${tailOfFile(logFile)}`);
}

/** True when a request for `123456789012.127.0.0.1:<emulator port>` sent to the proxy reaches moto. */
function answersThroughProxy(proxyPort: number, emulatorPort: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = httpRequest(
      { host: '127.0.0.1', port: proxyPort, method: 'GET', path: `http://123456789012.127.0.0.1:${emulatorPort}/moto-api/`, timeout: 5000 },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      },
    );
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
    request.end();
  });
}
