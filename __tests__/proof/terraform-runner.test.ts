import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/*
 * A terraform command that runs past its time limit is stopped, and so is every process it started: a provider still
 * waiting on the emulator must not outlive the rehearsal (and keep a core busy on a shared CI machine).
 */

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2].startsWith('Z');
  } catch {
    return false;
  }
}

describe('the terraform runner after a time-out', () => {
  let dir: string;
  const saved = { ...process.env };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-terraform-runner-'));
  });

  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  test('stops the command and the processes it left behind, and says it was stopped', () => {
    // A provider mirror the runner accepts, and a `terraform` that starts a long-lived child, then waits until stopped.
    const platform = path.join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    mkdirSync(platform, { recursive: true });
    writeFileSync(path.join(platform, 'terraform-provider-aws_v5.100.0_x5'), '');
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    const childPidFile = path.join(dir, 'child.pid');
    writeFileSync(
      path.join(bin, 'terraform'),
      `#!/bin/sh\nsleep 300 &\necho $! > "${childPidFile}"\ntrap 'exit 130' INT\nwhile :; do sleep 0.1; done\n`,
    );
    chmodSync(path.join(bin, 'terraform'), 0o755);
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    process.env.TF_PROVIDER_MIRROR = path.join(dir, 'mirror');
    process.env.TERRAFORM_COMMAND_TIMEOUT_SECONDS = '1';

    let TerraformRunner!: typeof import('../../tools/proof/terraform').TerraformRunner;
    jest.isolateModules(() => {
      ({ TerraformRunner } = require('../../tools/proof/terraform'));
    });
    const result = new TerraformRunner(path.join(dir, 'work')).run(dir, ['apply']);

    expect(result.ok).toBe(false);
    expect(result.output).toContain('Error: terraform apply stopped after');
    const child = Number(readFileSync(childPidFile, 'utf8'));
    const deadline = Date.now() + 5000;
    while (alive(child) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    expect(alive(child)).toBe(false);
  });
});
