import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { RUNTIME_PROVIDED_MODULES } from '../package';

/** The drill runner's deployment package: a zip whose bytes depend only on the code (settings are environment). */
export interface RunnerPackage {
  readonly zip: Buffer;
  /** Base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it. */
  readonly sourceCodeHash: string;
  readonly handler: 'index.handler';
  readonly runtime: 'nodejs24.x';
}

const ROOT = path.join(__dirname, '..', '..', '..');
const ENTRY = path.join('functions', 'drill-runner', 'index.ts');
// Local-time constructor on purpose: zip writers encode DOS dates from local time (as lib/detector/package.ts).
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const FILE_ATTRIBUTES = 0o100644 << 16;

let cache: RunnerPackage | undefined;

/** Bundles and zips the runner once per process: minified, no source map (a few dozen lines), SDK from the runtime. */
export function buildRunnerPackage(): RunnerPackage {
  if (cache) return cache;
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: 'index.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    external: RUNTIME_PROVIDED_MODULES,
    tsconfigRaw: { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } },
    write: false,
    logLevel: 'silent',
  });
  const files: Zippable = {
    'index.js': [result.outputFiles[0].contents, { mtime: FIXED_MTIME, os: 3, attrs: FILE_ATTRIBUTES, level: 9 }],
  };
  const zip = Buffer.from(zipSync(files));
  cache = { zip, sourceCodeHash: createHash('sha256').update(zip).digest('base64'), handler: 'index.handler', runtime: 'nodejs24.x' };
  return cache;
}
