/*
 * The synth's prebuilt bundle: main.ts and the project sources it imports, bundled by esbuild into
 * .build/synth/main.js (packages stay in node_modules), so that a synth loads one JavaScript file instead of
 * transpiling some hundred TypeScript files at every run. The bundle is rebuilt when any of its inputs changes: the
 * inputs of the last build (esbuild's metafile) are kept with the SHA-256 of each, and checked before every run, by
 * content and not by time, so a checkout, a branch switch or a copied tree is judged by what the files hold.
 *
 * Plain CommonJS on purpose: it runs before anything could transpile TypeScript.
 */
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');
const OUT_DIR = path.join(ROOT, '.build', 'synth');
const BUNDLE = path.join(OUT_DIR, 'main.js');
const INPUTS = path.join(OUT_DIR, 'inputs.json');
/** Files that change how esbuild reads the sources without being imported. */
const SETTINGS_FILES = ['package.json', 'tsconfig.json', 'tools/synth/bundle.cjs'];
/** Raised when the build settings below change, so that an older bundle is not taken for current. */
const FORMAT = 1;

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The recorded inputs of the last build, or undefined when there is none or it is not this format's. */
function recordedInputs() {
  try {
    const recorded = JSON.parse(readFileSync(INPUTS, 'utf8'));
    return recorded.format === FORMAT ? recorded : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the bundle was built from the files as they are now, by this esbuild. */
function isFresh() {
  const recorded = recordedInputs();
  if (!recorded || !existsSync(BUNDLE)) return false;
  if (recorded.esbuild !== require('esbuild/package.json').version) return false;
  for (const [file, digest] of Object.entries(recorded.files)) {
    const full = path.join(ROOT, file);
    if (!existsSync(full) || sha256(full) !== digest) return false;
  }
  return true;
}

/**
 * In the bundle every module shares the bundle's own `__dirname`; a source that finds files beside itself (the
 * example configuration, the Lambda sources) gets its own directory back, relative to the bundle so that the bundle
 * does not depend on where the project is checked out.
 */
const ownDirname = {
  name: 'own-dirname',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.split(path.sep).includes('node_modules')) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!/\b__dirname\b/.test(source)) return { contents: source, loader: 'ts' };
      const relative = path.relative(OUT_DIR, path.dirname(args.path)).split(path.sep).join('/');
      return { contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(relative)})`), loader: 'ts' };
    });
  },
};

/** Writes a file aside and renames it into place, so that a synth running meanwhile never reads half of it. */
function writeAtomically(file, contents) {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}

/** Builds the bundle and records its inputs. */
async function build() {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['main.ts'],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // Linked, without the sources: an error's trace points at the TypeScript line once source maps are on.
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    charset: 'utf8',
    plugins: [ownDirname],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  mkdirSync(OUT_DIR, { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const inputs = [...Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/')), ...SETTINGS_FILES].sort();
  const files = Object.fromEntries(inputs.map((file) => [file, sha256(path.join(ROOT, file))]));
  writeAtomically(INPUTS, `${JSON.stringify({ format: FORMAT, esbuild: esbuild.version, files }, null, 2)}\n`);
}

/** The path of a bundle built from the current sources, built first when needed. */
async function currentBundle() {
  if (!isFresh()) await build();
  return BUNDLE;
}

module.exports = { BUNDLE, OUT_DIR, currentBundle, isFresh, build };
