import type { z } from 'zod';
import type { ConfigProblem } from '../../../config/problems';
import type { detectorDrill, monitoredBucket } from '../../../config/schema';
import { canaryKeyProblem, deriveCanaryKey } from './canary-key';

/**
 * The drill's configuration against the monitored buckets: every bucket gets a canary key the detector calls
 * sensitive, and per-bucket settings name monitored buckets (with a KMS key in the bucket's region, as S3 requires).
 */
export function drillProblems(
  drill: z.output<typeof detectorDrill> | undefined,
  detectorEnabled: boolean,
  monitoredBuckets: readonly z.output<typeof monitoredBucket>[] | undefined,
  /** The management account's name: its buckets get no drill (drill-plan.ts, drillRunsIn). */
  managementAccountName?: string,
): ConfigProblem[] {
  if (!drill || !monitoredBuckets || !detectorEnabled || !drill.enabled) return [];
  const problems: ConfigProblem[] = [];
  const byName = new Map(monitoredBuckets.map((bucket) => [bucket.name, bucket]));

  monitoredBuckets.forEach((bucket, index) => {
    if (bucket.account === managementAccountName) return;
    const given = drill.canaryKeys[bucket.name];
    if (given !== undefined) {
      const expected = canaryKeyProblem(given, bucket.keyPatterns);
      if (expected) problems.push({ path: ['detector', 'drill', 'canaryKeys', bucket.name], value: given, expected });
    } else if (deriveCanaryKey(bucket.keyPatterns) === undefined) {
      problems.push({
        path: ['detector', 'monitoredBuckets', index, 'keyPatterns'],
        value: bucket.keyPatterns,
        expected:
          'expected a pattern from which the drill can make a canary key (or detector.drill.canaryKeys for this bucket, or detector.drill.enabled false)',
      });
    }
  });

  for (const field of ['canaryKeys', 'kmsKeyArns'] as const) {
    for (const name of Object.keys(drill[field]).sort()) {
      if (!byName.has(name)) {
        problems.push({
          path: ['detector', 'drill', field, name],
          value: drill[field][name],
          expected: `expected a monitored bucket's name (${[...byName.keys()].join(', ') || 'none monitored'})`,
        });
      }
    }
  }
  for (const [name, keyArn] of Object.entries(drill.kmsKeyArns).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const bucket = byName.get(name);
    const keyRegion = keyArn.split(':')[3];
    if (bucket && keyRegion !== bucket.region) {
      problems.push({
        path: ['detector', 'drill', 'kmsKeyArns', name],
        value: keyArn,
        expected: `expected a key in the bucket's region (${bucket.region}): S3 encrypts with keys of the bucket's region only`,
      });
    }
  }
  return problems;
}
