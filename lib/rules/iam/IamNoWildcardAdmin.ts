import type { ReadStatement } from '../policy-statements';
import type { PolicyRule } from '../rule';
import { POLICY_BEARING_TYPES, policiesOf } from './policies-of';

const ATTACHMENT_TYPES = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];
const ADMINISTRATOR_ACCESS = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;

const allowsEverything = (statement: ReadStatement) =>
  statement.effect === 'Allow' &&
  (statement.actions.some((action) => action === '*' || action === '*:*') || statement.notActions.length > 0) &&
  (statement.resources.includes('*') || statement.notResources.length > 0);

/** No policy allows every action on every resource. */
const IamNoWildcardAdmin: PolicyRule = {
  id: 'IAM.NoWildcardAdmin',
  description: 'No policy statement allows "*" (or NotAction) on "*" (or NotResource), and nothing attaches AdministratorAccess.',
  rationale: 'Full administrative rights in a baseline turn any compromise of the holder into a compromise of the account.',
  fix: 'Name the actions and resources the principal needs; scope with conditions. A policy the rules cannot read must be written as JSON or an aws_iam_policy_document.',
  appliesTo: [...POLICY_BEARING_TYPES, ...ATTACHMENT_TYPES],
  evaluate(resource, stack) {
    if (ATTACHMENT_TYPES.includes(resource.type)) {
      return ADMINISTRATOR_ACCESS.test(String(resource.config.policy_arn)) ? ['attaches AdministratorAccess'] : [];
    }
    return policiesOf(resource, stack).flatMap(({ attribute, policy }) => {
      if ('unreadable' in policy) return [`${attribute} cannot be read at synth: ${policy.unreadable}`];
      return policy.statements.filter(allowsEverything).map((statement) => `${attribute} statement ${statement.sid ?? '(no Sid)'} allows everything on everything`);
    });
  },
};

export default IamNoWildcardAdmin;
