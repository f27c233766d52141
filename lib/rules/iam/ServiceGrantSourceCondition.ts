import type { ReadStatement } from '../policy-statements';
import type { PolicyRule } from '../rule';
import { policiesOf, RESOURCE_POLICY_TYPES } from './policies-of';

/**
 * Condition keys that tie a grant to resources or accounts the organization names: the global source keys, and the
 * KMS encryption-context ARN keys that CloudWatch Logs and CloudTrail set to the log group or trail using the key.
 */
const SOURCE_KEY = /^(aws:SourceArn|aws:SourceAccount|aws:SourceOrgID|aws:SourceOrgPaths|kms:EncryptionContext:aws:[a-z0-9-]+:arn)$/i;
/** Negated or if-exists operators let a request without the key through. */
const WEAK_OPERATOR = /Not|IfExists$/;

const hasSourceCondition = (statement: ReadStatement) =>
  statement.conditions.some((condition) => SOURCE_KEY.test(condition.key) && !WEAK_OPERATOR.test(condition.operator) && condition.values.length > 0);

/** Every permission granted to an AWS service is limited to the organization's own resources. */
const ServiceGrantSourceCondition: PolicyRule = {
  id: 'IAM.ServiceGrantSourceCondition',
  description:
    'Every Allow to a service principal in a resource policy (and every service aws_lambda_permission) carries aws:SourceArn, aws:SourceAccount or aws:SourceOrgID (or the KMS encryption-context ARN of the logs or trail).',
  rationale: 'Without a source condition, the service would act on behalf of any AWS customer who points it at this resource (the confused deputy).',
  fix: 'Add a condition such as ArnLike aws:SourceArn = <the trail, alarm or rule ARN> and StringEquals aws:SourceAccount = <account id> to the statement (source_arn / source_account on aws_lambda_permission).',
  appliesTo: [...RESOURCE_POLICY_TYPES, 'aws_lambda_permission'],
  evaluate(resource, stack) {
    if (resource.type === 'aws_lambda_permission') {
      const service = /\.amazonaws\.com$/.test(String(resource.config.principal));
      const scoped = ['source_arn', 'source_account', 'principal_org_id'].some((attribute) => typeof resource.config[attribute] === 'string');
      return service && !scoped ? [`grants ${String(resource.config.principal)} without source_arn or source_account`] : [];
    }
    return policiesOf(resource, stack).flatMap(({ attribute, policy }) => {
      if ('unreadable' in policy) return [`${attribute} cannot be read at synth: ${policy.unreadable}`];
      return policy.statements
        .filter((statement) => statement.effect === 'Allow' && (statement.principals.Service ?? []).length > 0 && !hasSourceCondition(statement))
        .map((statement) => `${attribute} statement ${statement.sid ?? '(no Sid)'} grants ${statement.principals.Service!.join(', ')} without a source condition`);
    });
  },
};

export default ServiceGrantSourceCondition;
