import type { IConstruct } from 'constructs';

/** A rule a construct is allowed to break, and why. */
export interface RuleAcknowledgement {
  /** Id of the rule, e.g. `Lambda.ReservedConcurrency`. */
  readonly ruleId: string;
  /** Why the rule does not apply here; printed in the pull-request report. */
  readonly reason: string;
}

const METADATA_TYPE = 'aws-org-baseline/rule-acknowledgement';
/** Short reasons ("n/a", "ok") explain nothing to a reviewer. */
const MINIMUM_REASON_LENGTH = 20;

/**
 * Records in code that the resources at or below `scope` may break a policy rule, with the reason. The reason is
 * required: the rule then reports the resource as acknowledged instead of failing the synth, and the report prints
 * the reason for reviewers.
 */
export function acknowledgeRule(scope: IConstruct, acknowledgement: RuleAcknowledgement): void {
  const reason = acknowledgement.reason.trim();
  if (reason.length < MINIMUM_REASON_LENGTH) {
    throw new Error(
      `Acknowledgement of ${acknowledgement.ruleId} on ${scope.node.path}: got reason ${JSON.stringify(acknowledgement.reason)}; ` +
        `expected a reason of at least ${MINIMUM_REASON_LENGTH} characters saying why the rule does not apply`,
    );
  }
  // No stack trace: it would carry absolute paths into the synthesized manifest.
  scope.node.addMetadata(METADATA_TYPE, { ruleId: acknowledgement.ruleId, reason }, { stackTrace: false });
}

/** The acknowledgements that cover a construct: its own and those of every scope above it, nearest first. */
export function acknowledgementsOf(construct: IConstruct): RuleAcknowledgement[] {
  return construct.node.scopes
    .slice()
    .reverse()
    .flatMap((scope) => scope.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => entry.data as RuleAcknowledgement));
}
