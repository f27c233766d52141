import type { BaselineConfig } from '../../config/schema';

/*
 * The EC2 declarative policy: settings AWS Organizations enforces in the EC2 control plane of every targeted account,
 * which account administrators cannot change. Attribute names and values follow AWS's "Declarative policy syntax and
 * examples": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative_syntax.html
 */

type Ec2DeclarativeSettings = BaselineConfig['guardrails']['ec2DeclarativePolicy'];

/** A value set with the `@@assign` inheritance operator (child policies may still override it, as with any @@assign). */
interface Assigned<T> {
  readonly '@@assign': T;
}

/** The policy document: one fixed top-level key for EC2, each attribute under it. */
export interface Ec2DeclarativePolicyDocument {
  readonly ec2_attributes: Record<string, unknown>;
}

/** The Organizations policy type of EC2 declarative policies. */
export const EC2_DECLARATIVE_POLICY_TYPE = 'DECLARATIVE_POLICY_EC2';

/** The most characters AWS Organizations accepts in a declarative policy (Organizations quotas page). */
export const DECLARATIVE_POLICY_MAX_CHARACTERS = 10_000;

const assign = <T>(value: T): Assigned<T> => ({ '@@assign': value });

/** The attributes the configuration turns on, in a fixed order; none when every one is off. */
export function ec2DeclarativeAttributes(settings: Ec2DeclarativeSettings, imdsHopLimit: number): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  if (settings.exceptionMessage) attributes.exception_message = assign(settings.exceptionMessage);
  const vpc = settings.vpcBlockPublicAccess;
  if (vpc.enabled) {
    attributes.vpc_block_public_access = {
      internet_gateway_block: {
        mode: assign(vpc.mode),
        // Exclusions are created by the account owning the VPC; the policy only says whether accounts may create them.
        exclusions_allowed: assign(vpc.exclusions.length > 0 ? 'enabled' : 'disabled'),
      },
    };
  }
  if (settings.serialConsoleAccessOff) attributes.serial_console_access = { status: assign('disabled') };
  // "block_new_sharing" is the only blocking state AMIs have.
  if (settings.imageBlockPublicAccess) attributes.image_block_public_access = { state: assign('block_new_sharing') };
  if (settings.allowedImages) {
    const images = settings.allowedImages;
    attributes.allowed_images_settings = {
      state: assign(images.state),
      image_criteria: {
        criteria_1: {
          allowed_image_providers: assign([...images.imageProviders]),
          ...(images.maximumDaysSinceCreated === undefined
            ? {}
            : { creation_date_condition: { maximum_days_since_created: assign(images.maximumDaysSinceCreated) } }),
        },
      },
    };
  }
  if (settings.instanceMetadataDefaults) {
    attributes.instance_metadata_defaults = {
      http_tokens: assign('required'),
      // AWS's syntax page writes the hop limit as a string.
      http_put_response_hop_limit: assign(String(imdsHopLimit)),
      http_endpoint: assign('enabled'),
      instance_metadata_tags: assign('disabled'),
    };
  }
  // "block_all_sharing" also makes snapshots that were already public private again.
  if (settings.snapshotBlockPublicAccess) attributes.snapshot_block_public_access = { state: assign('block_all_sharing') };
  return attributes;
}

/** The policy document, or undefined when the policy is off or sets nothing. */
export function ec2DeclarativePolicyDocument(config: BaselineConfig): Ec2DeclarativePolicyDocument | undefined {
  const settings = config.guardrails.ec2DeclarativePolicy;
  if (!settings.enabled) return undefined;
  const attributes = ec2DeclarativeAttributes(settings, config.accountBaseline.imdsHopLimit);
  const enforced = Object.keys(attributes).filter((key) => key !== 'exception_message');
  if (enforced.length === 0) return undefined;
  const document = { ec2_attributes: attributes };
  const size = JSON.stringify(document).length;
  if (size > DECLARATIVE_POLICY_MAX_CHARACTERS) {
    throw new Error(
      `The EC2 declarative policy is ${size} characters; AWS Organizations accepts at most ${DECLARATIVE_POLICY_MAX_CHARACTERS}. ` +
        'Shorten guardrails.ec2DeclarativePolicy.allowedImages.imageProviders or exceptionMessage.',
    );
  }
  return document;
}

/**
 * Whether the declarative policy sets the IMDS defaults of an account: Organizations policies never apply to the
 * management account, and an account counts as covered only when the policy targets the root or the account's
 * configured organizational unit (nested OUs are not resolved here, so such accounts keep their own defaults).
 */
export function declarativePolicySetsImdsDefaults(config: BaselineConfig, account: { id: string; organizationalUnit?: string }): boolean {
  const settings = config.guardrails.ec2DeclarativePolicy;
  if (!settings.enabled || !settings.instanceMetadataDefaults) return false;
  if (account.id === config.accounts.management.id) return false;
  const targets = config.guardrails.targets.length > 0 ? config.guardrails.targets : [config.organization.rootId];
  return targets.includes(config.organization.rootId) || (account.organizationalUnit !== undefined && targets.includes(account.organizationalUnit));
}
