import * as z from 'zod';

/*
 * deployment.tags: default tags on every resource. AWS allows 50 user tags per resource, keys of 1 to 128 and values of
 * 0 to 256 characters among letters, digits, spaces and _ . : / = + - @, and reserves the "aws:" prefix in keys and
 * values. https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */

/** The default tags the baseline itself puts on every resource (stacks/baseline-stack.ts); a test keeps them in step. */
export const BASELINE_TAG_KEYS = ['ManagedBy', 'BaselinePrefix', 'BaselineStack'] as const;
/** The value of the ManagedBy tag on every resource of the baseline; guardrails key on it. */
export const BASELINE_MANAGED_BY = 'aws-org-baseline';
/** Tags some resources carry besides the default ones (the flow log's and default security group's Name). */
export const RESOURCE_TAG_KEYS = ['Name'] as const;

export const MAX_TAGS_PER_RESOURCE = 50;
export const MAX_DEPLOYMENT_TAGS = MAX_TAGS_PER_RESOURCE - BASELINE_TAG_KEYS.length - RESOURCE_TAG_KEYS.length;

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED = /^aws:/i;

const tagKey = z
  .string()
  .min(1, { error: 'expected a tag key of 1 to 128 characters', abort: true })
  .max(128, { error: 'expected a tag key of 1 to 128 characters', abort: true })
  .regex(TAG_CHARACTERS, { error: 'expected a tag key of letters, digits, spaces and _ . : / = + - @', abort: true })
  .refine((key) => !RESERVED.test(key), { error: 'expected a tag key that does not start with "aws:" (reserved by AWS)', abort: true })
  .refine((key) => !([...BASELINE_TAG_KEYS, ...RESOURCE_TAG_KEYS] as readonly string[]).includes(key), {
    error: `expected a tag key other than the baseline's own (${[...BASELINE_TAG_KEYS, ...RESOURCE_TAG_KEYS].join(', ')})`,
  });

const tagValue = z
  .string({ error: 'expected a tag value in quotes' })
  .max(256, { error: 'expected a tag value of at most 256 characters', abort: true })
  .regex(TAG_CHARACTERS, { error: 'expected a tag value of letters, digits, spaces and _ . : / = + - @', abort: true })
  .refine((value) => !RESERVED.test(value), { error: 'expected a tag value that does not start with "aws:" (reserved by AWS)' });

export const deploymentTags = z
  .record(tagKey, tagValue, { error: (issue) => (issue.code === 'invalid_type' ? 'expected an object of tag keys and values' : undefined) })
  .refine((tags) => Object.keys(tags).length <= MAX_DEPLOYMENT_TAGS, {
    error: `expected at most ${MAX_DEPLOYMENT_TAGS} tags: AWS allows ${MAX_TAGS_PER_RESOURCE} per resource, and the baseline puts ${BASELINE_TAG_KEYS.length + RESOURCE_TAG_KEYS.length} of its own`,
  });
