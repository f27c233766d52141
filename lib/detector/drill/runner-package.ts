import * as path from 'node:path';
import { bundleFunction, reproducibleZip } from '../package';

/** The drill runner's deployment package: a zip whose bytes depend only on the code (settings are environment). */
export interface RunnerPackage {
  readonly zip: Buffer;
  /** Base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it. */
  readonly sourceCodeHash: string;
  readonly handler: 'index.handler';
  readonly runtime: 'nodejs24.x';
}

const ENTRY = path.join('functions', 'drill-runner', 'index.ts');

let cache: RunnerPackage | undefined;

/** Bundles and zips the runner once per process: minified, no source map (a few dozen lines), SDK from the runtime. */
export function buildRunnerPackage(): RunnerPackage {
  if (cache) return cache;
  cache = { ...reproducibleZip({ 'index.js': bundleFunction(ENTRY, { sourcemap: false }).code }), handler: 'index.handler', runtime: 'nodejs24.x' };
  return cache;
}
