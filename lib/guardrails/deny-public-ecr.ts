import { policyDocument } from '../common/policy-document';
import { type GuardrailPolicy, principalArns } from './guardrail-policy';

/**
 * Images often carry code and secrets. Public repositories are denied outright; a private repository becomes public
 * only through its repository policy, whose content an SCP cannot read, so repository policies are set by the
 * deployment role alone (reviewed code), not by anyone with ECR rights.
 */
export function denyPublicEcr(name: string, deploymentRoleArnPatterns: readonly string[]): GuardrailPolicy {
  return {
    id: 'DenyPublicEcr',
    name,
    description: 'Denies public ECR repositories, and repository policies (which could make one public) except by the deployment role.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([
      {
        Sid: 'DenyPublicRepositories',
        Effect: 'Deny',
        Action: ['ecr-public:CreateRepository', 'ecr-public:SetRepositoryPolicy'],
        Resource: '*',
      },
      {
        Sid: 'DenyRepositoryPoliciesOutsideDeployment',
        Effect: 'Deny',
        Action: 'ecr:SetRepositoryPolicy',
        Resource: '*',
        Condition: { ArnNotLike: { 'aws:PrincipalArn': principalArns(deploymentRoleArnPatterns) } },
      },
    ]),
  };
}
