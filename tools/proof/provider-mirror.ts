import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * Finds the offline filesystem mirror of hashicorp/aws: the directory holding `registry.terraform.io`. These machines
 * and CI have one (no registry access); where it is differs by machine, so it is discovered, not assumed.
 */

const PROVIDER_DIR = path.join('registry.terraform.io', 'hashicorp', 'aws');

/** Places a mirror usually lives, tried before a search of the whole file system. */
function likelyRoots(): string[] {
  const home = os.homedir();
  return [
    '/opt/tf-plugins',
    '/opt/terraform/plugins',
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
  ];
}

/** True when `root/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_v*` exists. */
export function holdsAwsProvider(root: string): boolean {
  const versions = path.join(root, PROVIDER_DIR);
  if (!existsSync(versions)) return false;
  return readdirSync(versions).some((version) =>
    readdirSync(path.join(versions, version), { withFileTypes: true }).some(
      (platform) => platform.isDirectory() && readdirSync(path.join(versions, version, platform.name)).some((file) => file.startsWith('terraform-provider-aws_v')),
    ),
  );
}

/** The mirror root from a provider binary's path (…/<root>/registry.terraform.io/hashicorp/aws/<v>/<platform>/binary). */
export function mirrorRootOf(binary: string): string | undefined {
  const parts = binary.split(path.sep);
  const index = parts.lastIndexOf('registry.terraform.io');
  if (index < 1 || parts[index + 1] !== 'hashicorp' || parts[index + 2] !== 'aws') return undefined;
  return parts.slice(0, index).join(path.sep) || path.sep;
}

/**
 * The mirror root: `TF_PROVIDER_MIRROR` when set, else the first likely place that holds the provider, else the first
 * hit of a file-system search for `terraform-provider-aws_v*`. Throws with what was tried when there is none.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TF_PROVIDER_MIRROR) {
    if (!holdsAwsProvider(env.TF_PROVIDER_MIRROR)) {
      throw new Error(`TF_PROVIDER_MIRROR=${env.TF_PROVIDER_MIRROR} holds no ${PROVIDER_DIR}/<version>/<platform>/terraform-provider-aws_v*`);
    }
    return env.TF_PROVIDER_MIRROR;
  }
  for (const root of likelyRoots()) if (holdsAwsProvider(root)) return root;
  const search = spawnSync(
    'find',
    ['/', '(', '-path', '/proc', '-o', '-path', '/sys', '-o', '-path', '/dev', ')', '-prune', '-o', '-type', 'f', '-name', 'terraform-provider-aws_v*', '-print'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  for (const line of search.stdout.split('\n')) {
    const root = line ? mirrorRootOf(line) : undefined;
    if (root && holdsAwsProvider(root)) return root;
  }
  throw new Error(
    `no filesystem mirror of hashicorp/aws found (tried TF_PROVIDER_MIRROR, ${likelyRoots().join(', ')} and a search of / for terraform-provider-aws_v*)`,
  );
}
