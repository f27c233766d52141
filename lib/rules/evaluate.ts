import { Annotations, Aspects, type IAspect, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { acknowledgementsOf } from './acknowledgement';
import type { PolicyRule } from './rule';
import { BASELINE_RULES } from './catalog';
import { StackResources, type TerraformJson } from './stack-resources';

/** The verdict of one rule on one resource. */
export interface RuleFinding {
  readonly ruleId: string;
  readonly stack: string;
  readonly address: string;
  readonly constructPath: string;
  readonly status: 'pass' | 'fail' | 'acknowledged';
  /** What is wrong (for `fail` and `acknowledged`). */
  readonly problems: readonly string[];
  /** The reason given in code (for `acknowledged`). */
  readonly reason?: string;
}

export interface PolicyRuleOptions {
  /** @default - every rule of the baseline (`BASELINE_RULES`) */
  readonly rules?: readonly PolicyRule[];
}

/**
 * Runs the rules over the synthesized form of a stack and returns one finding per rule and resource it applies
 * to. Only resources defined at or below `scope` are judged; the rest of the stack is still read, so that a bucket in
 * scope can be related to its policy or public-access block elsewhere.
 */
export function evaluatePolicyRules(scope: IConstruct, options: PolicyRuleOptions = {}): RuleFinding[] {
  const stack = TerraformStack.of(scope);
  const resources = new StackResources(stack.node.id, stack.toTerraform() as TerraformJson);
  const constructs = new Map(stack.node.findAll().map((construct) => [construct.node.path, construct]));
  const inScope = (path: string) => scope === stack || path === scope.node.path || path.startsWith(`${scope.node.path}/`);
  const findings: RuleFinding[] = [];
  for (const rule of options.rules ?? BASELINE_RULES) {
    for (const resource of rule.appliesTo.flatMap((type) => resources.ofType(type))) {
      if (!inScope(resource.constructPath)) continue;
      const problems = rule.evaluate(resource, resources);
      const base = { ruleId: rule.id, stack: stack.node.id, address: resource.address, constructPath: resource.constructPath, problems };
      if (problems.length === 0) {
        findings.push({ ...base, status: 'pass' });
        continue;
      }
      const construct = constructs.get(resource.constructPath) ?? stack;
      const acknowledgement = acknowledgementsOf(construct).find((candidate) => candidate.ruleId === rule.id);
      findings.push(acknowledgement ? { ...base, status: 'acknowledged', reason: acknowledgement.reason } : { ...base, status: 'fail' });
    }
  }
  return findings;
}

/** The synth error for a failed finding: rule id, resource, what is wrong, and the fix. */
export function findingMessage(finding: RuleFinding, rule: PolicyRule): string {
  return `[${rule.id}] ${finding.address}: ${finding.problems.join('; ')}. ${rule.description} Fix: ${rule.fix}`;
}

/** Fails the synth of the scope's stack with one error per resource that breaks a rule and is not acknowledged. */
class PolicyRulesAspect implements IAspect {
  private evaluated = false;

  constructor(
    private readonly scope: IConstruct,
    private readonly options: PolicyRuleOptions,
  ) {}

  visit(node: IConstruct): void {
    // Judged once, from the scope: the rules read the whole synthesized stack, not construct by construct.
    if (node !== this.scope || this.evaluated) return;
    this.evaluated = true;
    const rules = new Map((this.options.rules ?? BASELINE_RULES).map((rule) => [rule.id, rule]));
    const stack = TerraformStack.of(node);
    const constructs = new Map(stack.node.findAll().map((construct) => [construct.node.path, construct]));
    for (const finding of evaluatePolicyRules(node, this.options)) {
      if (finding.status !== 'fail') continue;
      Annotations.of(constructs.get(finding.constructPath) ?? stack).addError(findingMessage(finding, rules.get(finding.ruleId)!));
    }
  }
}

/**
 * Applies the policy rules to a scope: every stack of an app, one stack, or any construct of yours inside a stack.
 * At synth, a resource that breaks a rule without an acknowledgement (`acknowledgeRule`) fails the synth with the
 * rule id, the construct path and the fix. Call it after the stacks of an app exist.
 */
export function applyPolicyRules(scope: IConstruct, options: PolicyRuleOptions = {}): void {
  const insideStack = scope.node.scopes.some((candidate) => TerraformStack.isStack(candidate));
  // cdktf runs aspects from each stack down, so an aspect on the app itself would never run: add it to each stack.
  const targets = insideStack ? [scope] : scope.node.findAll().filter((construct) => TerraformStack.isStack(construct));
  for (const target of targets) Aspects.of(target).add(new PolicyRulesAspect(target, options));
}
