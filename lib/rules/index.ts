/** Synth-time policy rules: apply them to any scope with `applyPolicyRules`, acknowledge with `acknowledgeRule`. */
export { acknowledgeRule, type RuleAcknowledgement } from './acknowledgement';
export { BASELINE_RULES } from './catalog';
export { applyPolicyRules, evaluatePolicyRules, findingMessage, type PolicyRuleOptions, type RuleFinding } from './evaluate';
export type { PolicyRule } from './rule';
