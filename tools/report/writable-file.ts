import { accessSync, constants, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Why a file cannot be written, or undefined when it can: checked before the report's synth, so a typo in the output
 * path costs nothing.
 */
export function unwritableReason(file: string): string | undefined {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  if (!existsSync(dir)) return `the directory ${dir} does not exist`;
  if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  if (existsSync(target) && statSync(target).isDirectory()) return `${target} is a directory`;
  try {
    accessSync(existsSync(target) ? target : dir, constants.W_OK);
  } catch {
    return `permission denied on ${existsSync(target) ? target : dir}`;
  }
  return undefined;
}
