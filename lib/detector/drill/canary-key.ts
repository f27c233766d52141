import { compileKeyPatterns } from '../../../functions/detector/patterns';

/*
 * The canary object's key. It must be a key the detector calls sensitive in its bucket, or the drill would prove
 * nothing: derived from the bucket's own keyPatterns (the first pattern that yields a valid S3 key), or given per
 * bucket and then checked against them with the detector's own matcher.
 */

/** What every derived canary key is built around, so that the object says what it is. */
export const CANARY_NAME = 'detector-drill-canary';

/**
 * S3 accepts keys of 1 to 1024 bytes (UTF-8). This product also refuses control characters, and `*`, `?` and `$`:
 * the key is the Resource of the drill role's only permission, where IAM reads `*` and `?` as wildcards and `${...}`
 * as a policy variable, which would widen the grant beyond the one object
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 */
function validKey(key: string): boolean {
  const bytes = Buffer.byteLength(key, 'utf8');
  return bytes >= 1 && bytes <= 1024 && !/[\u0000-\u001f\u007f*?$]/.test(key);
}

/** A key matching one pattern: `*` becomes the canary name, `?` one letter; a keyword is put after the canary name. */
function candidateFor(pattern: string): string {
  const fill = (glob: string) => glob.replace(/\*/g, CANARY_NAME).replace(/\?/g, 'x');
  return pattern.startsWith('keyword:') ? `${CANARY_NAME}/${fill(pattern.slice('keyword:'.length))}` : fill(pattern);
}

/** Whether the detector would call the key sensitive under these patterns. */
export function isSensitiveKey(key: string, keyPatterns: readonly string[]): boolean {
  return compileKeyPatterns(keyPatterns)(key);
}

/** The canary key for a bucket's patterns, or undefined when no pattern yields a valid key that matches. */
export function deriveCanaryKey(keyPatterns: readonly string[]): string | undefined {
  for (const pattern of keyPatterns) {
    const key = candidateFor(pattern);
    if (validKey(key) && isSensitiveKey(key, keyPatterns)) return key;
  }
  return undefined;
}

/** Why a given canary key cannot be used for these patterns; undefined when it can. */
export function canaryKeyProblem(key: string, keyPatterns: readonly string[]): string | undefined {
  if (!validKey(key)) return 'expected an S3 key of 1 to 1024 bytes without control characters, "*", "?" or "$" (IAM reads those in a Resource)';
  if (!isSensitiveKey(key, keyPatterns)) {
    return `expected a key matching the bucket's keyPatterns (${keyPatterns.join(', ')}): the drill must read a key the detector calls sensitive`;
  }
  return undefined;
}
