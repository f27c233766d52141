import { type BaselineConfig, CIS_ALARM_IDS, type CisAlarmId } from '../../config/schema';

/** One CIS monitoring item as a CloudWatch Logs metric filter on the organization trail's log group. */
export interface CisMetricFilter {
  readonly id: CisAlarmId;
  /** Benchmark item in CIS v7 numbering (5.x); v1.4 to v3 number the same items 4.x, v1.2 the first fourteen 3.x. */
  readonly control: string;
  readonly title: string;
  /** The CIS pattern text, with the configured exclusions appended. */
  readonly pattern: string;
  readonly metricName: string;
}

/** CloudWatch Logs refuses metric filter patterns longer than this. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

const eventNames = (names: readonly string[]) => names.map((name) => `($.eventName = ${name})`).join(' || ');

/*
 * The published CIS pattern texts, kept as written (spacing, quoting and order) so that scanners that look for them
 * (Prowler, Security Hub's CloudWatch controls) recognize ours. Where a later benchmark or the common scanners
 * added event names, they are appended after the CIS list rather than interleaved.
 */
const CIS_ITEMS: Record<CisAlarmId, Omit<CisMetricFilter, 'id' | 'pattern'> & { readonly cisPattern: string }> = {
  'unauthorized-api-calls': {
    control: 'CIS 5.1',
    title: 'Unauthorized API calls',
    metricName: 'UnauthorizedAPICalls',
    // As published: "&&" binds tighter than "||", so the two exclusions apply to AccessDenied* only.
    cisPattern:
      '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
  },
  'console-signin-without-mfa': {
    control: 'CIS 5.2',
    title: 'Management console sign-in without MFA',
    metricName: 'ConsoleSignInWithoutMFA',
    cisPattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  'root-account-usage': {
    control: 'CIS 5.3',
    title: 'Usage of the root user',
    metricName: 'RootAccountUsage',
    cisPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  'iam-policy-changes': {
    control: 'CIS 5.4',
    title: 'IAM policy changes',
    metricName: 'IAMPolicyChanges',
    cisPattern: `{${[
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ]
      .map((name) => `($.eventName=${name})`)
      .join('||')}}`,
  },
  'cloudtrail-changes': {
    control: 'CIS 5.5',
    title: 'CloudTrail configuration changes',
    metricName: 'CloudTrailChanges',
    cisPattern: `{ ${eventNames(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }`,
  },
  'console-authentication-failures': {
    control: 'CIS 5.6',
    title: 'Management console authentication failures',
    metricName: 'ConsoleAuthenticationFailures',
    cisPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  'cmk-disable-or-deletion': {
    control: 'CIS 5.7',
    title: 'Disabling or scheduled deletion of customer-managed KMS keys',
    metricName: 'CMKDisableOrScheduledDeletion',
    cisPattern: '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }',
  },
  's3-bucket-policy-changes': {
    control: 'CIS 5.8',
    title: 'S3 bucket policy changes',
    metricName: 'S3BucketPolicyChanges',
    cisPattern: `{ ($.eventSource = s3.amazonaws.com) && (${eventNames([
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ])}) }`,
  },
  'config-changes': {
    control: 'CIS 5.9',
    title: 'AWS Config configuration changes',
    metricName: 'AWSConfigChanges',
    cisPattern:
      '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }',
  },
  'security-group-changes': {
    control: 'CIS 5.10',
    title: 'Security group changes',
    metricName: 'SecurityGroupChanges',
    // ModifySecurityGroupRules changes rules in place since 2021; later benchmarks list it.
    cisPattern: `{ ${eventNames([
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
      'ModifySecurityGroupRules',
    ])} }`,
  },
  'nacl-changes': {
    control: 'CIS 5.11',
    title: 'Network ACL changes',
    metricName: 'NACLChanges',
    cisPattern: `{ ${eventNames([
      'CreateNetworkAcl',
      'CreateNetworkAclEntry',
      'DeleteNetworkAcl',
      'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry',
      'ReplaceNetworkAclAssociation',
    ])} }`,
  },
  'network-gateway-changes': {
    control: 'CIS 5.12',
    title: 'Network gateway changes',
    metricName: 'NetworkGatewayChanges',
    cisPattern: `{ ${eventNames([
      'CreateCustomerGateway',
      'DeleteCustomerGateway',
      'AttachInternetGateway',
      'CreateInternetGateway',
      'DeleteInternetGateway',
      'DetachInternetGateway',
    ])} }`,
  },
  'route-table-changes': {
    control: 'CIS 5.13',
    title: 'Route table changes',
    metricName: 'RouteTableChanges',
    cisPattern: `{($.eventSource = ec2.amazonaws.com) && (${eventNames([
      'CreateRoute',
      'CreateRouteTable',
      'ReplaceRoute',
      'ReplaceRouteTableAssociation',
      'DeleteRouteTable',
      'DeleteRoute',
      'DisassociateRouteTable',
    ])}) }`,
  },
  'vpc-changes': {
    control: 'CIS 5.14',
    title: 'VPC changes',
    metricName: 'VPCChanges',
    cisPattern: `{ ${eventNames([
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ])} }`,
  },
  'organizations-changes': {
    control: 'CIS 5.15',
    title: 'AWS Organizations changes',
    metricName: 'OrganizationsChanges',
    // CancelHandshake, CreateOrganization and EnableAllFeatures are not in the CIS list; Prowler expects them.
    cisPattern: `{ ($.eventSource = organizations.amazonaws.com) && (${[
      'AcceptHandshake',
      'AttachPolicy',
      'CreateAccount',
      'CreateOrganizationalUnit',
      'CreatePolicy',
      'DeclineHandshake',
      'DeleteOrganization',
      'DeleteOrganizationalUnit',
      'DeletePolicy',
      'DetachPolicy',
      'DisablePolicyType',
      'EnablePolicyType',
      'InviteAccountToOrganization',
      'LeaveOrganization',
      'MoveAccount',
      'RemoveAccountFromOrganization',
      'UpdatePolicy',
      'UpdateOrganizationalUnit',
      'CancelHandshake',
      'CreateOrganization',
      'EnableAllFeatures',
    ]
      .map((name) => `($.eventName = "${name}")`)
      .join(' || ')}) }`,
  },
};

type Exclusion = BaselineConfig['monitoring']['alarms'][CisAlarmId]['exclude'][number];

/**
 * The CIS pattern with exclusions: the CIS body stays verbatim inside parentheses (its own "||" must not absorb the
 * exclusions), and each exclusion also lets through events without the field, since "!=" on an absent field is false.
 */
export function withExclusions(published: string, exclusions: readonly Exclusion[]): string {
  if (exclusions.length === 0) return published;
  const body = published.trim().replace(/^\{\s*/, '').replace(/\s*\}$/, '');
  const conditions = exclusions.map(({ selector, value }) => `((${selector} != "${value}") || (${selector} NOT EXISTS))`);
  return `{ (${body}) && ${conditions.join(' && ')} }`;
}

/** The CIS pattern of one item, without exclusions. */
export function cisPattern(id: CisAlarmId): string {
  return CIS_ITEMS[id].cisPattern;
}

/** The enabled CIS metric filters in benchmark order, each with its configured exclusions. */
export function cisMetricFilters(config: BaselineConfig): CisMetricFilter[] {
  return CIS_ALARM_IDS.filter((id) => config.monitoring.alarms[id].enabled).map((id) => {
    const { cisPattern: published, ...item } = CIS_ITEMS[id];
    const pattern = withExclusions(published, config.monitoring.alarms[id].exclude);
    // Also reported, with its path, when the configuration is loaded.
    if (pattern.length > MAX_FILTER_PATTERN_LENGTH) {
      throw new Error(
        `monitoring.alarms.${id}.exclude: the filter pattern would be ${pattern.length} characters; CloudWatch Logs accepts at most ${MAX_FILTER_PATTERN_LENGTH}`,
      );
    }
    return { id, ...item, pattern };
  });
}
