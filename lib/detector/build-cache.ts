import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/*
 * A cache of what the synth builds from files (the Lambda bundles, their zips) under the project's .build/functions/,
 * keyed by the SHA-256 of every input: a bundle is reused while each file esbuild read for it holds the same bytes, a
 * zip while its entries do. A hit gives back the very bytes a build would, so the output does not change; the cache
 * only saves the time. A cache that cannot be read or written is no cache: the build runs.
 */

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export interface BundleOutputs {
  readonly [name: string]: Uint8Array;
}

interface BundleRecord {
  /** Input files (relative to the root) with the SHA-256 of each. */
  readonly inputs: Record<string, string>;
  /** Output names with the SHA-256 of each; the bytes are in the blob store. */
  readonly outputs: Record<string, string>;
}

export class BuildCache {
  constructor(private readonly dir: string) {}

  private blob(digest: string): string {
    return path.join(this.dir, 'blobs', digest);
  }

  private write(file: string, data: Uint8Array | string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    // Aside, then renamed: a synth running meanwhile never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, data);
    renameSync(partial, file);
  }

  private readBlob(digest: string): Buffer | undefined {
    try {
      const data = readFileSync(this.blob(digest));
      return sha256(data) === digest ? data : undefined;
    } catch {
      return undefined;
    }
  }

  private storeBlob(data: Uint8Array): string {
    const digest = sha256(data);
    if (!existsSync(this.blob(digest))) this.write(this.blob(digest), data);
    return digest;
  }

  /**
   * The outputs of a bundle: from the cache when the record for `key` (the entry point and every build setting) names
   * inputs that all hold the bytes they held, else from `build`, which returns its outputs and the files it read.
   */
  bundle(root: string, key: string, build: () => { outputs: BundleOutputs; inputs: readonly string[] }): BundleOutputs {
    const recordFile = path.join(this.dir, 'bundles', `${sha256(key)}.json`);
    try {
      const record = JSON.parse(readFileSync(recordFile, 'utf8')) as BundleRecord;
      const unchanged = Object.entries(record.inputs).every(([file, digest]) => {
        const full = path.join(root, file);
        return existsSync(full) && sha256(readFileSync(full)) === digest;
      });
      if (unchanged) {
        const outputs: Record<string, Uint8Array> = {};
        for (const [name, digest] of Object.entries(record.outputs)) {
          const data = this.readBlob(digest);
          if (!data) throw new Error(`cached output ${name} is gone`);
          outputs[name] = data;
        }
        return outputs;
      }
    } catch {
      // No record, an unreadable one, or a lost output: build.
    }
    const built = build();
    try {
      const record: BundleRecord = {
        inputs: Object.fromEntries([...built.inputs].sort().map((file) => [file, sha256(readFileSync(path.join(root, file)))])),
        outputs: Object.fromEntries(Object.entries(built.outputs).map(([name, data]) => [name, this.storeBlob(data)])),
      };
      this.write(recordFile, `${JSON.stringify(record, null, 2)}\n`);
    } catch {
      // A read-only checkout builds every time.
    }
    return built.outputs;
  }

  /** Bytes made from `parts` only (a zip of them): from the cache when the same parts were made before. */
  derived(parts: Readonly<Record<string, Uint8Array>>, kind: string, make: () => Uint8Array): Uint8Array {
    const key = sha256(JSON.stringify([kind, ...Object.entries(parts).map(([name, data]) => [name, sha256(data)])]));
    const recordFile = path.join(this.dir, 'derived', key);
    try {
      const digest = readFileSync(recordFile, 'utf8');
      const data = this.readBlob(digest);
      if (data) return data;
    } catch {
      // Not made before.
    }
    const made = make();
    try {
      this.write(recordFile, this.storeBlob(made));
    } catch {
      // A read-only checkout makes it every time.
    }
    return made;
  }
}
