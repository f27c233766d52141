import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BuildOptions, buildSync, version as esbuildVersion } from 'esbuild';
import { zipSync, type Zippable } from 'fflate';
import { type DetectorSettings, parseDetectorSettings } from '../../functions/detector/settings';
import { BuildCache } from './build-cache';

/** The detector Lambda's deployment package: a zip whose bytes depend only on the code and the settings. */
export interface DetectorPackage {
  readonly zip: Buffer;
  /** Base64 SHA-256 of the zip, as Terraform's `filebase64sha256` computes it. */
  readonly sourceCodeHash: string;
  readonly handler: 'index.handler';
  readonly runtime: 'nodejs24.x';
}

const ROOT = path.join(__dirname, '..', '..');
const ENTRY = path.join('functions', 'detector', 'index.ts');
/** Bundles and zips are reused while their inputs hold the same bytes: a synth rebuilds only what changed. */
const cache = new BuildCache(path.join(ROOT, '.build', 'functions'));

/** The SDK v3 clients the nodejs24.x runtime ships; bundling them would only grow the zip and the cold start. */
export const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];

// Local-time constructor on purpose: zip writers encode DOS dates from local time, so this yields the same bytes in
// every time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
// Regular file, rw-r--r--, in the Unix attribute layout (os = 3).
const FILE_ATTRIBUTES = 0o100644 << 16;

/** Bundles a function's entry point with the settings every package of the baseline shares; `map` when asked for. */
export function bundleFunction(entry: string, options: { sourcemap: boolean }): { code: Uint8Array; map?: Uint8Array } {
  const settings: BuildOptions = {
    entryPoints: [entry],
    outfile: 'index.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    minify: true,
    ...(options.sourcemap ? { sourcemap: 'linked', sourcesContent: false } : {}),
    legalComments: 'none',
    charset: 'utf8',
    external: RUNTIME_PROVIDED_MODULES,
    // Explicit, so the output does not depend on which tsconfig.json esbuild would find above the sources.
    tsconfigRaw: { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } },
  };
  const outputs = cache.bundle(ROOT, JSON.stringify({ esbuild: esbuildVersion, settings }), () => {
    const result = buildSync({ ...settings, absWorkingDir: ROOT, write: false, metafile: true, logLevel: 'silent' } as const);
    const output = (name: string) => result.outputFiles.find((file) => path.basename(file.path) === name)?.contents;
    return {
      outputs: { 'index.js': output('index.js')!, ...(options.sourcemap ? { 'index.js.map': output('index.js.map')! } : {}) },
      inputs: Object.keys(result.metafile.inputs),
    };
  });
  return { code: outputs['index.js'], ...(options.sourcemap ? { map: outputs['index.js.map'] } : {}) };
}

/** A zip of the files, in the given (sorted) order, whose bytes depend only on their contents, and its hash. */
export function reproducibleZip(files: Readonly<Record<string, Uint8Array>>): { zip: Buffer; sourceCodeHash: string } {
  const entries: Zippable = Object.fromEntries(
    Object.entries(files).map(([name, data]) => [name, [data, { mtime: FIXED_MTIME, os: 3, attrs: FILE_ATTRIBUTES, level: 9 }]]),
  );
  const zip = Buffer.from(cache.derived(files, 'zip: fixed time, unix 644, level 9', () => zipSync(entries)));
  return { zip, sourceCodeHash: createHash('sha256').update(zip).digest('base64') };
}

let bundleCache: { code: Uint8Array; map: Uint8Array } | undefined;

/** Bundles the handler once per process: minified, linked source map, target matching the runtime. */
export function bundleDetector(): { code: Uint8Array; map: Uint8Array } {
  if (bundleCache) return bundleCache;
  const { code, map } = bundleFunction(ENTRY, { sourcemap: true });
  bundleCache = { code, map: map! };
  return bundleCache;
}

/** Builds the zip: bundle, source map and the validated settings (read once at cold start). */
export function buildDetectorPackage(settings: DetectorSettings): DetectorPackage {
  const validated = parseDetectorSettings(settings);
  const { code, map } = bundleDetector();
  // Object keys in insertion order are the zip's entry order: kept sorted.
  return {
    ...reproducibleZip({
      'index.js': code,
      'index.js.map': map,
      'settings.json': Buffer.from(`${JSON.stringify(validated, null, 2)}\n`),
    }),
    handler: 'index.handler',
    runtime: 'nodejs24.x',
  };
}

/**
 * Writes a package where TerraformAsset can copy it from: a directory named after the content, so that the same
 * bytes are written once, and a file name that does not depend on where or when the synth runs.
 */
export function packageFile(zip: Buffer, fileName: string): string {
  const digest = createHash('sha256').update(zip).digest('hex');
  const dir = path.join(os.tmpdir(), 'aws-org-baseline-packages', digest);
  const file = path.join(dir, fileName);
  if (existsSync(file) && readFileSync(file).equals(zip)) return file;
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed, so a concurrent synth never copies a half-written file.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, file);
  return file;
}
