import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { buildBaselineApp } from '../../lib/app';
import { BaselineNames, organizationAccounts } from '../../lib/naming';
import { BaselineStack } from '../../stacks/baseline-stack';
import { addressesOf, readSynthesizedStacks, type SynthesizedStacks } from '../../tools/report/synthesized-stacks';
import { configWith, exampleConfig, PROJECT_ROOT } from '../helpers';
import { PINNED_ADDRESSES } from './pinned-addresses';

/*
 * Each directory of cdktf.out/stacks must work in a plain terraform/tofu pipeline: no paths outside it, nothing run
 * on the machine that plans, the backend the configuration chose, the provider resolvable from the public registry.
 */

function synthTo(hclOutput?: boolean): string {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-test-'));
  buildBaselineApp(exampleConfig(), { outdir, hclOutput }).synth();
  return outdir;
}

/** Every file under a directory, relative to it. */
function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, base) : [path.relative(base, full)];
  });
}

/** Every string in a JSON value, with the key it was found under. */
function strings(value: unknown, key = ''): { key: string; value: string }[] {
  if (typeof value === 'string') return [{ key, value }];
  if (Array.isArray(value)) return value.flatMap((item) => strings(item, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k));
  return [];
}

/** Every key anywhere in a JSON value. */
function keys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keys);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]);
  return [];
}

describe('the synthesized stacks in a plain Terraform pipeline', () => {
  let outdir: string;
  let stacks: SynthesizedStacks;

  beforeAll(() => {
    outdir = synthTo();
    stacks = readSynthesizedStacks(outdir);
  });

  it('name no absolute path, and every file they reference is inside their own directory', () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const text = JSON.stringify(stack);
      const leaked = [PROJECT_ROOT, outdir, os.tmpdir()].filter((local) => text.includes(local));
      expect({ stack: name, leaked }).toEqual({ stack: name, leaked: [] });
      const fileArguments = strings(stack.resource).filter(({ key }) => ['filename', 'source', 'content_base64_file'].includes(key));
      for (const { value } of fileArguments) {
        expect(path.isAbsolute(value)).toBe(false);
        expect(value.split('/')).not.toContain('..');
        expect(existsSync(path.join(outdir, 'stacks', name, value))).toBe(true);
      }
    }
  });

  it('run nothing on the planning machine: no provisioners, no external data sources, no cross-stack state', () => {
    for (const stack of Object.values(stacks)) {
      expect(keys(stack.resource)).not.toContain('provisioner');
      expect(Object.keys(stack.data ?? {})).not.toContain('external');
      expect(Object.keys(stack.data ?? {})).not.toContain('terraform_remote_state');
      expect(Object.keys(stack.resource ?? {})).not.toContain('null_resource');
      expect(JSON.stringify(stack)).not.toMatch(/local-exec|remote-exec/);
    }
  });

  it('ask for hashicorp/aws from the public registry, and keep state in a relative local file by default', () => {
    for (const stack of Object.values(stacks)) {
      const terraform = stack.terraform as { required_providers: Record<string, { source: string }>; backend: Record<string, unknown> };
      expect(Object.values(terraform.required_providers).map((provider) => provider.source)).toEqual(['hashicorp/aws']);
      expect(terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    }
  });

  it('use the S3 backend the configuration names, one state key per stack, with locking', () => {
    // The backend is set by BaselineStack, which every stack extends; constructing it alone keeps the test fast.
    const config = configWith((input) => {
      input.deployment = { ...(input.deployment ?? {}), backend: { type: 's3', bucket: 'acme-terraform-state', region: 'eu-west-1', keyPrefix: 'baseline' } } as never;
    });
    const app = Testing.app();
    for (const account of organizationAccounts(config)) {
      const name = BaselineNames.accountStack(account.name);
      const stack = JSON.parse(Testing.synth(new BaselineStack(app, name, { config, account }))) as { terraform: { backend: unknown } };
      expect(stack.terraform.backend).toEqual({
        s3: expect.objectContaining({ bucket: 'acme-terraform-state', key: `baseline/${name}.tfstate`, region: 'eu-west-1', encrypt: true, use_lockfile: true }),
      });
    }
  });

  it('keep the addresses of the resources that hold state and data', () => {
    const missing = Object.entries(PINNED_ADDRESSES).flatMap(([stack, addresses]) => {
      const present = stacks[stack] ? addressesOf(stacks[stack]) : new Map();
      return addresses.filter((address) => !present.has(address)).map((address) => `${stack}: ${address}`);
    });
    expect(missing).toEqual([]);
  });

  describe('with --hcl', () => {
    let hcl: string;
    beforeAll(() => {
      hcl = synthTo(true);
    });

    // Byte-for-byte determinism of the HCL output is checked in CI (.ci/run), like that of the JSON output.
    it('writes HCL (not JSON) for every stack, declaring the same resources', () => {
      for (const [name, stack] of Object.entries(stacks)) {
        const file = path.join(hcl, 'stacks', name, 'cdk.tf');
        const text = readFileSync(file, 'utf8');
        expect(text.trimStart().startsWith('{')).toBe(false);
        expect(existsSync(path.join(hcl, 'stacks', name, 'cdk.tf.json'))).toBe(false);
        const declared = [...text.matchAll(/^(resource|data) "([^"]+)" "([^"]+)"/gm)].map(([, kind, type, id]) => `${kind === 'data' ? 'data.' : ''}${type}.${id}`);
        expect(declared.sort()).toEqual([...addressesOf(stack).keys()].sort());
      }
      expect(files(path.join(hcl, 'stacks')).filter((file) => file.includes('assets/'))).toEqual(files(path.join(outdir, 'stacks')).filter((file) => file.includes('assets/')));
    });

  });
});
