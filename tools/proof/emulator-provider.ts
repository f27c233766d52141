import type { TerraformJson } from './provider-mapping';

/*
 * Points every provider configuration of a mapped stack at the emulator: one endpoint for every service the stacks
 * call, path-style S3 (bucket host names do not resolve to the loopback address), no instance metadata lookup. The
 * account checks stay on: the provider still asks STS who it is, so `allowed_account_ids` proves that each stack
 * reached its own emulated account through its own role. For the rehearsal only; never in a synthesized stack.
 */

/** Endpoint keys of hashicorp/aws 5.100.0 for the services the baseline uses. */
export const EMULATED_SERVICES = [
  'accessanalyzer',
  'cloudtrail',
  'cloudwatch',
  'cloudwatchlogs',
  'configservice',
  'ec2',
  'ecr',
  'events',
  'guardduty',
  'iam',
  'kms',
  'lambda',
  'organizations',
  's3',
  'securityhub',
  'sns',
  'sqs',
  'sts',
] as const;

export function pointAtEmulator(stack: TerraformJson, endpoint: string): TerraformJson {
  const result = structuredClone(stack);
  const providers = (result.provider as Record<string, Array<Record<string, unknown>>> | undefined)?.aws ?? [];
  for (const provider of providers) {
    provider.endpoints = [Object.fromEntries(EMULATED_SERVICES.map((service) => [service, endpoint]))];
    provider.s3_use_path_style = true;
    provider.skip_metadata_api_check = true;
    provider.skip_region_validation = true;
    // An emulator error is not transient: fail in seconds rather than retry for minutes.
    provider.max_retries = 2;
  }
  return result;
}
