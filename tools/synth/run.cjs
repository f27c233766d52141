/*
 * `npm run synth` and cdktf.json's app command: runs the synth from its prebuilt bundle (tools/synth/bundle.cjs),
 * rebuilding it first when a source has changed. Arguments reach main.ts as they were given.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { currentBundle } = require('./bundle.cjs');

/**
 * The trace of an error the synth did not expect, with each frame in the bundle turned back into its TypeScript file
 * and line. Node's own source-map support would do it, but it would also parse the inline map of every module cdktf
 * and the provider load, a quarter of the synth; the bundle's map is read only here, when there is a trace to show.
 */
function typeScriptTrace(error, bundle) {
  const text = error instanceof Error && error.stack ? error.stack : String(error);
  try {
    const { SourceMap } = require('node:module');
    const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    const escaped = bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return text.replace(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'), (whole, line, column) => {
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
      if (!entry || !entry.originalSource) return whole;
      const source = path.resolve(path.dirname(bundle), entry.originalSource);
      return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    });
  } catch {
    return text;
  }
}

currentBundle().then(
  (bundle) => {
    const report = (error) => {
      process.stderr.write(`${typeScriptTrace(error, bundle)}\n`);
      process.exit(1);
    };
    process.on('uncaughtException', report);
    process.on('unhandledRejection', report);
    require(bundle);
  },
  (error) => {
    process.stderr.write(`The synth could not be built from the sources:\n${error.message}\n`);
    process.exit(1);
  },
);
