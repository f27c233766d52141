import { IamOrganizationsFeatures } from '@cdktf/provider-aws/lib/iam-organizations-features';
import { Construct } from 'constructs';
import type { BaselineConfig } from '../../config/schema';

/** The IAM organization features, as EnableOrganizationsRootCredentialsManagement / ...RootSessions name them. */
export const ROOT_ACCESS_FEATURES = { removeMemberRootCredentials: 'RootCredentialsManagement', rootSessions: 'RootSessions' } as const;

/** The features the configuration turns on, in a fixed order. */
export function rootAccessFeatures(config: BaselineConfig): string[] {
  const settings = config.guardrails.rootAccess;
  return (Object.keys(ROOT_ACCESS_FEATURES) as (keyof typeof ROOT_ACCESS_FEATURES)[])
    .filter((setting) => settings[setting])
    .map((setting) => ROOT_ACCESS_FEATURES[setting]);
}

export interface CentralizedRootAccessProps {
  readonly config: BaselineConfig;
}

/**
 * Centralized root access for member accounts: their root credentials can be deleted (and new accounts get none),
 * and privileged root tasks are done in short sessions opened with sts:AssumeRoot from the management account (or a
 * delegated administrator). Needs trusted access for iam.amazonaws.com, which the baseline does not own.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html
 */
export class CentralizedRootAccess extends Construct {
  readonly features?: IamOrganizationsFeatures;

  constructor(scope: Construct, id: string, props: CentralizedRootAccessProps) {
    super(scope, id);
    const enabledFeatures = rootAccessFeatures(props.config);
    if (enabledFeatures.length === 0) return;
    this.features = new IamOrganizationsFeatures(this, 'Features', { enabledFeatures });
  }
}
