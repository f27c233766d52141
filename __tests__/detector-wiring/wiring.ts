import { resourcesOf, type SynthesizedStack } from '../helpers';

/*
 * Reading the synthesized detector wiring: resources by what they are, and policies with the references to other
 * resources of the same stack replaced by the ARNs Terraform would put there, so that the IAM simulator can judge them.
 */

/** The one resource of a type whose properties include the given ones (fails when there is not exactly one). */
export function only(stack: SynthesizedStack, type: string, where: Record<string, unknown> = {}): Record<string, unknown> {
  const matches = Object.values(resourcesOf(stack, type)).filter((resource) =>
    Object.entries(where).every(([key, value]) => JSON.stringify(resource[key]) === JSON.stringify(value)),
  );
  if (matches.length !== 1) throw new Error(`expected one ${type} with ${JSON.stringify(where)}, found ${matches.length}`);
  return matches[0];
}

/** A stable, well-formed key id per logical id, as KMS would assign one. */
function fakeKeyId(logicalId: string): string {
  let hash = 0;
  for (const char of logicalId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}0000`;
}

/** The ARN a reference such as `${aws_kms_key.X.arn}` resolves to once the stack is applied. */
export function arnOf(stack: SynthesizedStack, type: string, logicalId: string, accountId: string): string {
  const resource = resourcesOf(stack, type)[logicalId];
  if (!resource) throw new Error(`no ${type}.${logicalId} in the stack`);
  const region = resource.region as string;
  switch (type) {
    case 'aws_kms_key':
      return `arn:aws:kms:${region}:${accountId}:key/${fakeKeyId(logicalId)}`;
    case 'aws_sqs_queue':
      return `arn:aws:sqs:${region}:${accountId}:${resource.name as string}`;
    case 'aws_sns_topic':
      return `arn:aws:sns:${region}:${accountId}:${resource.name as string}`;
    case 'aws_iam_role':
      return `arn:aws:iam::${accountId}:role/${resource.name as string}`;
    default:
      throw new Error(`no ARN rule for ${type}`);
  }
}

/** A policy document with `${type.id.arn}` references of the stack resolved. */
export function resolvedPolicy(stack: SynthesizedStack, policy: unknown, accountId: string): unknown {
  const text = (policy as string).replace(/\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_]+)\.arn\}/g, (_, type: string, id: string) =>
    arnOf(stack, type, id, accountId),
  );
  if (text.includes('${')) throw new Error(`unresolved reference in ${text}`);
  return JSON.parse(text);
}

/** The logical id of the one resource of a type matching the given properties. */
export function logicalIdOf(stack: SynthesizedStack, type: string, where: Record<string, unknown>): string {
  const resource = only(stack, type, where);
  return Object.entries(resourcesOf(stack, type)).find(([, candidate]) => candidate === resource)![0];
}
