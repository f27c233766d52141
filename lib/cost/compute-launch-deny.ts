import { policyDocument } from '../common/policy-document';
import type { GuardrailPolicy } from '../guardrails/guardrail-policy';

/*
 * The calls that start new paid compute: what stolen credentials are spent on (mining, mass compute). Starting stopped
 * capacity counts as much as creating it. Scaling calls (UpdateAutoScalingGroup, SetDesiredCapacity, UpdateService,
 * UpdateNodegroupConfig, ModifyFleet) stay allowed: they are how a person scales an attacker's capacity to zero, and
 * SCPs do not bind the service-linked roles that Auto Scaling, ECS and EKS launch with, so denying them would stop the
 * clean-up and not the scaling. Stopping, terminating, deleting and reading stay allowed too.
 */
export const COMPUTE_LAUNCH_ACTIONS = [
  'ec2:RunInstances',
  'ec2:StartInstances',
  'ec2:RequestSpotInstances',
  'ec2:RequestSpotFleet',
  'ec2:CreateFleet',
  'autoscaling:CreateAutoScalingGroup',
  'ecs:RunTask',
  'ecs:StartTask',
  'ecs:CreateService',
  'eks:CreateNodegroup',
  'eks:CreateFargateProfile',
  'batch:CreateComputeEnvironment',
  'batch:SubmitJob',
  'lambda:CreateFunction',
  'sagemaker:CreateTrainingJob',
  'sagemaker:CreateProcessingJob',
  'sagemaker:CreateTransformJob',
  'sagemaker:CreateHyperParameterTuningJob',
  'sagemaker:CreateNotebookInstance',
  'sagemaker:StartNotebookInstance',
  'sagemaker:CreateEndpoint',
  'elasticmapreduce:RunJobFlow',
  'emr-serverless:StartJobRun',
  'codebuild:StartBuild',
  'glue:StartJobRun',
  'apprunner:CreateService',
  'lightsail:CreateInstances',
  'lightsail:CreateInstancesFromSnapshot',
  'gamelift:CreateFleet',
] as const;

/**
 * The service control policy AWS Budgets attaches to an account whose actual spend passes its hard limit. It is created
 * by the baseline but attached to nothing: only the budget action attaches it, and only a person (reversing the
 * action, or detaching the policy) lifts it. SCPs bind every principal of a member account except service-linked
 * roles, the deployment role included, and never the management account.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
export function computeLaunchDeny(name: string): GuardrailPolicy {
  return {
    id: 'DenyComputeLaunch',
    name,
    description: 'Attached by AWS Budgets when an account passes its hard spending limit: no new compute until a person lifts it.',
    type: 'SERVICE_CONTROL_POLICY',
    document: policyDocument([{ Sid: 'DenyComputeLaunchOverBudget', Effect: 'Deny', Action: [...COMPUTE_LAUNCH_ACTIONS], Resource: '*' }]),
  };
}
