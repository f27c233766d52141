/*
 * cdktf checks the Terraform version for every import block (each adoption of an existing resource) by running
 * `terraform version`: a process per block, 17 for a detector adopted in 17 regions, a fifth of an account stack's
 * synth. The answer cannot change during a synth: each distinct check runs once per process, and its result (the
 * problems it found, or none) is given to every later check.
 */
// The class cdktf's own validations use (cdktf/lib/validations/validate-terraform-version.js extends it).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidateBinaryVersion } = require('cdktf/lib/validations/validate-binary-version') as {
  ValidateBinaryVersion: { prototype: { validate(this: VersionCheck): string[] } };
};

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
