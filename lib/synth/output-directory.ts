import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Manifest as CdktfManifest } from 'cdktf';

/*
 * The synth's output directory. The synth writes into a scratch directory next to it and, once the synth has
 * succeeded, replaces the files an earlier synth wrote, and only those: `terraform.tfstate` (the local backend keeps
 * state in a stack's directory), `.terraform/` and anything else a user or Terraform put there stays. A failed or
 * refused synth leaves the directory as it was.
 */

/** A mistake with the output directory, in words the user can act on. */
export class OutputDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirectoryError';
  }
}

/** What cdktf writes at the top of its output directory. */
const MANIFEST = 'manifest.json';
const STACKS = 'stacks';
/** The deploy plan the synth writes beside the manifest (lib/synth/deploy-plan.ts). */
const DEPLOY_PLAN = 'deploy-plan.json';
/** What cdktf writes in a stack's directory: the stack as JSON or HCL, its metadata and its assets. */
const STACK_FILES = ['cdk.tf.json', 'cdk.tf', 'metadata.json', 'assets'];

interface Manifest {
  readonly stacks: Record<string, { readonly workingDirectory: string }>;
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest> & { version?: unknown };
    if (typeof manifest.version !== 'string' || typeof manifest.stacks !== 'object' || manifest.stacks === null) return undefined;
    const directories = Object.values(manifest.stacks).map((stack) => stack?.workingDirectory);
    // A manifest naming a directory outside stacks/ is not one the synth wrote.
    if (!directories.every((dir) => typeof dir === 'string' && /^stacks\/[^/]+$/.test(dir))) return undefined;
    return manifest as Manifest;
  } catch {
    return undefined;
  }
}

const listing = (names: readonly string[]) =>
  names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');

function describeFsError(error: unknown, outdir: string): OutputDirectoryError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'read-only file system'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a part of the path is a file'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : ((error as Error).message ?? String(error));
  return new OutputDirectoryError(`Cannot write the output directory ${outdir}: ${reason}.`);
}

/** The output directory, checked before any work is done; the synth writes into `staging`, then `commit()`s. */
export interface OutputDirectory {
  /** The absolute path of the output directory. */
  readonly path: string;
  /** Where the synth writes; removed by commit() or discard(). */
  readonly staging: string;
  /**
   * Replaces the earlier synth's files with the staged ones; returns warnings about stale stacks it had to leave.
   * With `keepOtherStacks` (a synth of selected stacks), only the staged stacks are replaced: every other stack of the
   * earlier synth stays, in the manifest too.
   */
  commit(options?: { readonly keepOtherStacks?: boolean }): string[];
  /** Removes the staged files; the output directory is left as it was. */
  discard(): void;
}

/**
 * Checks that the synth may write `outdir` (absent, empty, or the output of an earlier synth, holding nothing at its
 * top level the synth did not write) and creates the scratch directory beside it.
 */
export function openOutputDirectory(outdir: string): OutputDirectory {
  const target = path.resolve(outdir);
  let previous: Manifest | undefined;
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new OutputDirectoryError(`The output directory ${target} is a file, not a directory: choose another CDKTF_OUTDIR.`);
    previous = checkEarlierOutput(target);
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw describeFsError(error, target);
    }
  }
  let staging: string;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    staging = mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.synth-`));
  } catch (error) {
    throw describeFsError(error, target);
  }
  return {
    path: target,
    staging,
    commit: (options = {}) => {
      try {
        return replaceOutput(target, staging, previous, options.keepOtherStacks ?? false);
      } catch (error) {
        throw describeFsError(error, target);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
    discard: () => rmSync(staging, { recursive: true, force: true }),
  };
}

/** Whether a path is a directory holding nothing but (possibly nested) empty directories: no file can be lost there. */
function isEmptyTree(entry: string): boolean {
  return statSync(entry).isDirectory() && readdirSync(entry).every((child) => isEmptyTree(path.join(entry, child)));
}

/** The manifest of an earlier synth in `dir`, or undefined when `dir` is empty; refuses a directory that holds other files. */
function checkEarlierOutput(dir: string): Manifest | undefined {
  const entries = readdirSync(dir)
    .sort()
    .filter((entry) => !isEmptyTree(path.join(dir, entry)));
  if (entries.length === 0) return undefined;
  const manifest = entries.includes(MANIFEST) ? readManifest(path.join(dir, MANIFEST)) : undefined;
  const foreign = entries.filter((entry) => !manifest || ![MANIFEST, STACKS, DEPLOY_PLAN].includes(entry));
  if (foreign.length > 0) {
    throw new OutputDirectoryError(
      `The output directory ${dir} holds files the synth did not write (${listing(foreign)}): ` +
        'choose a new or empty directory, or the output directory of an earlier synth, as CDKTF_OUTDIR.',
    );
  }
  return manifest;
}

/** Moves every entry of `from` into `to`, which may already hold other entries (Terraform's). */
function moveInto(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) renameSync(path.join(from, entry), path.join(to, entry));
}

function replaceOutput(target: string, staging: string, previous: Manifest | undefined, keepOtherStacks: boolean): string[] {
  const next = readManifest(path.join(staging, MANIFEST));
  if (!next) throw new Error(`the synth wrote no manifest into ${staging}`);
  const stacksDir = path.join(target, STACKS);
  const notes: string[] = [];
  for (const [name, stack] of Object.entries(previous?.stacks ?? {})) {
    if (keepOtherStacks && !Object.hasOwn(next.stacks, name)) continue;
    const dir = path.join(target, stack.workingDirectory);
    if (!existsSync(dir)) continue;
    for (const file of STACK_FILES) rmSync(path.join(dir, file), { recursive: true, force: true });
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  }
  for (const stack of Object.values(next.stacks)) moveInto(path.join(staging, stack.workingDirectory), path.join(target, stack.workingDirectory));
  if (keepOtherStacks && previous) {
    mergeManifests(staging, path.join(target, MANIFEST), Object.keys(next.stacks));
  } else {
    const current = new Set(Object.values(next.stacks).map((stack) => path.basename(stack.workingDirectory)));
    const lingering = existsSync(stacksDir) ? readdirSync(stacksDir).filter((name) => !current.has(name) && statSync(path.join(stacksDir, name)).isDirectory()).sort() : [];
    for (const name of lingering) {
      const dir = path.join(stacksDir, name);
      notes.push(
        `${dir}: no stack of the configuration is synthesized here; ${listing(readdirSync(dir).sort())} left in place ` +
          '(the Terraform state of a stack once deployed: destroy the stack or move its state, then remove the directory)',
      );
    }
  }
  if (existsSync(stacksDir) && readdirSync(stacksDir).length === 0) rmdirSync(stacksDir);
  if (existsSync(path.join(staging, DEPLOY_PLAN))) renameSync(path.join(staging, DEPLOY_PLAN), path.join(target, DEPLOY_PLAN));
  renameSync(path.join(staging, MANIFEST), path.join(target, MANIFEST));
  return notes;
}

/**
 * Rewrites the staged manifest to hold the earlier manifest's stacks too, but for those just synthesized, with cdktf's
 * own writer (the bytes a synth of all of them would write).
 */
function mergeManifests(staging: string, earlierFile: string, synthesized: readonly string[]): void {
  type Full = { version: string; stacks: Record<string, never> };
  const staged = JSON.parse(readFileSync(path.join(staging, MANIFEST), 'utf8')) as Full;
  const earlier = JSON.parse(readFileSync(earlierFile, 'utf8')) as Full;
  const manifest = new CdktfManifest(staged.version, staging, false);
  for (const [name, entry] of Object.entries(earlier.stacks)) if (!synthesized.includes(name)) manifest.stacks[name] = entry;
  Object.assign(manifest.stacks, staged.stacks);
  manifest.writeToFile();
}
