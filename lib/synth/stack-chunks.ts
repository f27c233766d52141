import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Manifest, type StackManifest } from 'cdktf';
import type { BaselineConfig } from '../../config/schema';
import { buildBaselineApp } from '../app';
import { summarizeApp, type SynthSummary } from './synth-summary';
import { checkTerraformVersionOnce } from './terraform-version-check';
import { forgetTokens } from './token-registry';
import { withoutTokenTraces } from './token-traces';

/*
 * A synth of many stacks in chunks: each chunk is an App of its own, built, synthesized into a scratch directory below
 * the output, moved into place and dropped before the next, so that memory holds one chunk and not the organization.
 * Stacks never read each other, so a stack synthesized in a chunk is byte for byte the stack of a whole-app synth.
 */

/** Stacks per App: small enough that a chunk of 17-region account stacks stays within a few hundred MB. */
export const STACKS_PER_CHUNK = 20;

/** What one chunk produced: the summary and the manifest entry of each stack. */
export interface ChunkResult {
  readonly summary: SynthSummary;
  readonly manifest: { readonly version: string; readonly stacks: Record<string, StackManifest> };
}

/** Splits names into chunks of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number = STACKS_PER_CHUNK): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Builds the named stacks as one App, synthesizes them into `<outdir>/stacks/`, and returns what the App's manifest
 * says of them. `scratch` names the chunk's own directory below `outdir` (unique among concurrent chunks).
 */
export function synthesizeChunk(
  config: BaselineConfig,
  stacks: readonly string[],
  options: { readonly outdir: string; readonly scratch: string; readonly hclOutput?: boolean },
): ChunkResult {
  const chunkDir = path.join(options.outdir, options.scratch);
  mkdirSync(chunkDir, { recursive: true });
  checkTerraformVersionOnce();
  try {
    // Source maps are mapped only when a trace is printed, after they are back on: synth is a third faster without
    // them, and an error still points at the TypeScript line.
    const sourceMaps = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(false);
    let app;
    try {
      app = withoutTokenTraces(() => {
        const built = buildBaselineApp(config, { outdir: chunkDir, hclOutput: options.hclOutput, stacks });
        built.synth();
        return built;
      });
    } finally {
      process.setSourceMapsEnabled(sourceMaps);
    }
    const summary = summarizeApp(app);
    const manifest = JSON.parse(readFileSync(path.join(chunkDir, Manifest.fileName), 'utf8')) as ChunkResult['manifest'];
    mkdirSync(path.join(options.outdir, Manifest.stacksFolder), { recursive: true });
    for (const entry of Object.values(manifest.stacks)) {
      renameSync(path.join(chunkDir, entry.workingDirectory), path.join(options.outdir, entry.workingDirectory));
    }
    return { summary, manifest };
  } finally {
    forgetTokens();
    rmSync(chunkDir, { recursive: true, force: true });
  }
}

/** The summaries of several chunks as one, stacks in the order given. */
export function mergeSummaries(parts: readonly SynthSummary[]): SynthSummary {
  return {
    stacks: parts.flatMap((part) => part.stacks),
    warnings: [...new Set(parts.flatMap((part) => part.warnings))],
    errors: [...new Set(parts.flatMap((part) => part.errors))],
  };
}

/**
 * Writes `<outdir>/manifest.json` for the stacks of every chunk with cdktf's own writer, so that its bytes are those
 * of a single App's manifest (cdktf sorts its keys).
 */
export function writeManifest(outdir: string, parts: readonly ChunkResult['manifest'][], hclOutput: boolean): void {
  if (parts.length === 0) throw new Error('no stack was synthesized');
  const versions = new Set(parts.map((part) => part.version));
  if (versions.size !== 1) throw new Error(`chunks were synthesized by different cdktf versions: ${[...versions].join(', ')}`);
  if (!existsSync(path.join(outdir, Manifest.stacksFolder))) mkdirSync(path.join(outdir, Manifest.stacksFolder));
  const manifest = new Manifest(parts[0].version, outdir, hclOutput);
  for (const part of parts) Object.assign(manifest.stacks, part.stacks);
  manifest.writeToFile();
}
