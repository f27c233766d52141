import * as z from 'zod';
import { cidrProblem } from '../functions/shared/cidr';
import { ACCESS_POINT_EXPECTED, isAccessPointId } from '../functions/detector/s3-object';
import { AWS_REGIONS } from './regions';

/** A 12-digit AWS account id, kept as a string so leading zeros survive. */
export const accountId = z
  .string({ error: 'expected a 12-digit AWS account id in quotes' })
  .regex(/^\d{12}$/, { error: 'expected exactly 12 digits' });

export const region = z.enum(AWS_REGIONS, {
  error: 'expected an AWS region code such as "eu-west-1"',
});

/**
 * A short lower-case name used inside stack names, bucket names, role names and tags: letters, digits and single
 * hyphens, starting with a letter (the strictest of those resources' rules).
 */
export const resourceName = (max: number) =>
  z
    .string()
    .min(2, { error: 'expected at least 2 characters' })
    .max(max, { error: `expected at most ${max} characters` })
    .regex(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/, {
      error: 'expected lower-case letters, digits and single hyphens, starting with a letter and ending with a letter or digit',
    });

/**
 * Prefixes and suffixes S3 reserves in general-purpose bucket names.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const S3_RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
export const S3_RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** An S3 bucket name under the general-purpose bucket naming rules (the page above). */
export const bucketName = z
  .string()
  .min(3, { error: 'expected a bucket name of 3 to 63 characters', abort: true })
  .max(63, { error: 'expected a bucket name of 3 to 63 characters', abort: true })
  .regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, {
    error: 'expected a bucket name of lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
    abort: true,
  })
  .refine((name) => !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name), {
    error: 'expected a bucket name without "..", not shaped like an IP address',
    abort: true,
  })
  .refine(
    (name) =>
      !S3_RESERVED_BUCKET_PREFIXES.some((prefix) => name.startsWith(prefix)) && !S3_RESERVED_BUCKET_SUFFIXES.some((suffix) => name.endsWith(suffix)),
    {
      error: `expected a bucket name that does not start with ${S3_RESERVED_BUCKET_PREFIXES.join(', ')} or end with ${S3_RESERVED_BUCKET_SUFFIXES.join(', ')} (reserved by S3)`,
    },
  );

/** An IPv4 or IPv6 network in CIDR notation, in the only forms every consumer reads alike (functions/shared/cidr). */
export const cidr = z.string({ error: 'expected a network in quotes, such as "203.0.113.0/24"' }).check((context) => {
  const problem = cidrProblem(context.value);
  if (problem) {
    context.issues.push({
      code: 'custom',
      input: context.value,
      message: `expected an IPv4 or IPv6 network such as "203.0.113.0/24" or "2001:db8::/32": ${problem}`,
    });
  }
});

export const email = z.email({ error: 'expected an email address' });

export const httpsUrl = z.url({ protocol: /^https$/, error: 'expected an https:// URL' });

/** An IAM role ARN in any partition. */
export const roleArn = z
  .string()
  .regex(/^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, {
    error: 'expected an IAM role ARN such as "arn:aws:iam::123456789012:role/name"',
  });

/** An IAM principal ARN (role, user or account root), as IAM policies name principals. */
export const principalArn = z
  .string()
  .regex(/^arn:aws(?:-[a-z]+)*:iam::\d{12}:(?:root|role\/[\w+=,.@/-]{1,512}|user\/[\w+=,.@/-]{1,512})$/, {
    error: 'expected an IAM principal ARN such as "arn:aws:iam::123456789012:role/name"',
  });

/** An IAM role name (without path). */
export const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, {
  error: 'expected an IAM role name: 1 to 64 letters, digits or + = , . @ _ -',
});

export const vpcId = z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'expected a VPC id such as "vpc-0abc1234"' });

/** An S3 access point ARN or alias, multi-Region or Object Lambda included: the detector's own check. */
export const accessPointId = z.string().refine(isAccessPointId, { error: `expected ${ACCESS_POINT_EXPECTED}` });

export const vpcEndpointId = z
  .string()
  .regex(/^vpce-[0-9a-f]{8,17}$/, { error: 'expected a VPC endpoint id such as "vpce-0abc1234"' });

export const organizationalUnitOrRootId = z.string().regex(/^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$/, {
  error: 'expected an organization root id ("r-…") or organizational unit id ("ou-…")',
});

/** A whole number of days within the bounds a service accepts. */
export const days = (min: number, max: number) =>
  z
    .number({ error: `expected a whole number of days from ${min} to ${max}` })
    .int({ error: `expected a whole number of days from ${min} to ${max}` })
    .min(min, { error: `expected at least ${min} days` })
    .max(max, { error: `expected at most ${max} days` });

/** Retention values CloudWatch Logs accepts for a log group (0, never expire, is not offered: logs are kept bounded). */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const cloudWatchRetentionDays = z
  .number()
  .refine((value) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(value), {
    error: `expected one of the retention periods CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')}`,
  });
