import { assertCloudTrailRecord, type CloudTrailRecord } from './cloudtrail';
import type { Finding } from './finding';
import { bucketEnumeration } from './rules/bucket-enumeration';
import { compileRuleContext, type RuleContext } from './rules/context';
import { instanceCredentialsOutsideAws } from './rules/instance-credentials-outside-aws';
import { sensitiveObjectAccess } from './rules/sensitive-object-access';
import { vpcEndpointAccess } from './rules/vpc-endpoint-access';
import type { DetectorSettings } from './settings';

type Rule = (record: CloudTrailRecord, context: RuleContext) => Finding | undefined;

/** The detector's rules over compiled settings: pure, no AWS SDK, shared by the Lambda, the replay tool and tests. */
export interface Detector {
  /** Judges one CloudTrail record; throws MalformedEventError when it is not one. */
  evaluate(record: unknown): readonly Finding[];
}

export function createDetector(settings: DetectorSettings): Detector {
  const context = compileRuleContext(settings);
  const rules: Rule[] = [
    ...(settings.rules.sensitiveObjectAccess ? [sensitiveObjectAccess] : []),
    ...(settings.rules.instanceCredentialsOutsideAws ? [instanceCredentialsOutsideAws] : []),
    ...(settings.rules.bucketEnumeration ? [bucketEnumeration] : []),
    ...(settings.rules.vpcEndpointAccess ? [vpcEndpointAccess] : []),
  ];
  return {
    evaluate(record: unknown): readonly Finding[] {
      assertCloudTrailRecord(record);
      let findings: Finding[] | undefined;
      for (const rule of rules) {
        const finding = rule(record, context);
        if (finding) (findings ??= []).push(finding);
      }
      return findings ?? NO_FINDINGS;
    },
  };
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
