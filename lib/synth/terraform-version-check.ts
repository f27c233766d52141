/*
 * cdktf checks the Terraform version for every import block (each adoption of an existing resource) by running
 * `terraform version`: a process per block (17 for GuardDuty adopted in 17 regions), 8% of the example synth's
 * time. The answer cannot change during a synth: each distinct check runs once per process, and its result (the
 * problems it found, or none) is given to every later check.
 */
import * as path from 'node:path';
import { App } from 'cdktf';

type ValidationClass = { prototype: { validate(this: VersionCheck): string[] } };

/**
 * The class cdktf's version checks extend (lib/validations/validate-binary-version.js), found beside the module that
 * exports the App this synth uses, whatever the package is called (CDK Terrain keeps the layout); undefined when it is
 * not there, and then every check runs as cdktf runs it.
 */
function versionCheckClass(): ValidationClass | undefined {
  const entry = Object.values(require.cache).find((module) => (module?.exports as { App?: unknown } | undefined)?.App === App);
  if (!entry) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const found = require(path.join(path.dirname(entry.filename), 'validations', 'validate-binary-version.js')) as { ValidateBinaryVersion?: ValidationClass };
    return typeof found.ValidateBinaryVersion?.prototype?.validate === 'function' ? found.ValidateBinaryVersion : undefined;
  } catch {
    return undefined;
  }
}

interface VersionCheck {
  readonly binary: string;
  readonly versionConstraint: string;
  readonly versionCommand: string;
  readonly hint?: string;
}

const answers = new Map<string, readonly string[]>();
let installed = false;

/** Makes every Terraform version check of this process run its command once. */
export function checkTerraformVersionOnce(): void {
  if (installed) return;
  installed = true;
  const ValidateBinaryVersion = versionCheckClass();
  if (!ValidateBinaryVersion) return;
  const validate = ValidateBinaryVersion.prototype.validate;
  ValidateBinaryVersion.prototype.validate = function validateOnce(this: VersionCheck): string[] {
    const key = JSON.stringify([this.binary, this.versionConstraint, this.versionCommand, this.hint]);
    let answer = answers.get(key);
    if (!answer) {
      answer = validate.call(this);
      answers.set(key, answer);
    }
    return [...answer];
  };
}
