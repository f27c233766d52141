import type { StackResources, SynthesizedResource } from './stack-resources';

/**
 * A synth-time policy rule: one property every resource of some Terraform types must have. A rule reads the
 * synthesized Terraform JSON of a stack, so that it sees what Terraform will see (overrides included) and can follow
 * references from one resource to another.
 */
export interface PolicyRule {
  /** Stable identifier, printed with every finding and named by acknowledgements, e.g. `S3.Versioned`. */
  readonly id: string;
  /** One line: what a compliant resource looks like. */
  readonly description: string;
  /** Why it matters. */
  readonly rationale: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** The Terraform resource types (or `data.<type>` for data sources) the rule looks at. */
  readonly appliesTo: readonly string[];
  /** The problems of one resource; none means compliant. */
  evaluate(resource: SynthesizedResource, stack: StackResources): readonly string[];
}
