import * as z from 'zod';
import {
  accessPointId,
  accountId,
  bucketName,
  cidr,
  cloudWatchRetentionDays,
  days,
  email,
  httpsUrl,
  organizationalUnitOrRootId,
  principalArn,
  region,
  resourceName,
  roleArn,
  roleName,
  S3_RESERVED_BUCKET_PREFIXES,
  vpcEndpointId,
  vpcId,
} from './primitives';
import { BASELINE_TAG_KEYS, deploymentTags } from './tags';

/*
 * The configuration model. Every knob has a default, and every default is the hardened choice: a configuration only
 * names what identifies the organization, and any loosening is a visible line in it.
 * `prefault` (not `default`) is used for sections so that an omitted section is parsed, and gets its inner defaults.
 */

/** The name of a resource an account already has; imported by it, so it cannot be blank or longer than AWS allows. */
const adoptedName = (what: string, max: number) =>
  z
    .string({ error: `expected the name of the existing ${what} in quotes` })
    .max(max, { error: `expected the name of the existing ${what}: at most ${max} characters`, abort: true })
    .regex(/\S/, { error: `expected the name of the existing ${what}` });

const adopt = z
  .strictObject({
    // Config recorder and delivery channel names: 1 to 256 characters.
    // https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html
    // https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannel.html
    configRecorderName: adoptedName('Config recorder', 256).optional(),
    deliveryChannelName: adoptedName('delivery channel', 256).optional(),
    // Analyzer names: 1 to 255 characters, [A-Za-z][A-Za-z0-9_.-]*.
    // https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_CreateAnalyzer.html
    accessAnalyzerName: z
      .string({ error: 'expected the name of the existing access analyzer in quotes' })
      .regex(/^[A-Za-z][A-Za-z0-9_.-]{0,254}$/, {
        error: 'expected the name of the existing access analyzer: 1 to 255 letters, digits, _ . -, starting with a letter',
      })
      .optional(),
    configServiceLinkedRole: z
      .boolean()
      .optional()
      .describe('true when the account already has the AWSServiceRoleForConfig role (AWS Config was set up before).'),
    guardDutyServiceLinkedRole: z
      .boolean()
      .optional()
      .describe(
        'Management account only: true when it already has the AWSServiceRoleForAmazonGuardDuty role (GuardDuty was enabled there before).',
      ),
  })
  .describe('Resources the account already has (e.g. from Control Tower) that the baseline imports instead of creating.');

const account = z.strictObject({
  name: resourceName(32).describe('Short name of the account; its baseline stack is "account-<name>".'),
  id: accountId.describe('12-digit AWS account id.'),
  deploymentRoleName: roleName
    .optional()
    .describe(
      'Role assumed in this account to deploy, instead of deployment.roleName: for an invited account (Organizations creates OrganizationAccountAccessRole only in accounts it creates), or for the management account, which is otherwise deployed with the caller\'s own credentials.',
    ),
  adopt: adopt.optional(),
});

const memberAccount = account.extend({
  organizationalUnit: organizationalUnitOrRootId
    .optional()
    .describe('Organizational unit the account sits in; informational, used by reports.'),
});

/** What the configuration says of one account read from the organization's account list. */
export const organizationAccountOverride = memberAccount
  .omit({ id: true })
  .partial()
  .describe('Settings of one account of the list, by account id: its name (instead of the one derived from its account name), deployment role, organizational unit, adopted resources.');

export const fromOrganization = z
  .strictObject({
    file: z
      .string({ error: 'expected the path of a JSON file in quotes' })
      .min(1, { error: 'expected the path of a JSON file' })
      .describe('The output of `aws organizations list-accounts --output json` (all pages), relative to this configuration file.'),
    overrides: z.record(accountId, organizationAccountOverride).default({}).describe('Settings per account, by account id.'),
    exclude: z.array(accountId).default([]).describe('Accounts of the list that get no baseline stack (their logs still reach the log archive).'),
  })
  .describe(
    'Member accounts read from the organization: every ACTIVE account of the list that is not named above becomes a member, named from its account name (lower-case letters, digits and hyphens, made unique).',
  );

const accounts = z.strictObject({
  management: account.describe('The organization management account: organization trail, guardrails.'),
  logArchive: account.describe('The account that holds every log of the organization.'),
  security: account.describe('The security tooling (audit) account: GuardDuty, Security Hub, the detector.'),
  members: z.array(memberAccount).default([]).describe('Workload accounts.'),
  fromOrganization: fromOrganization.optional(),
});

const organization = z.strictObject({
  id: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/, { error: 'expected an organization id such as "o-a1b2c3d4e5"' })
    .describe('AWS Organizations id.'),
  rootId: z
    .string()
    .regex(/^r-[0-9a-z]{4,32}$/, { error: 'expected an organization root id such as "r-ab12"' })
    .describe('Id of the organization root, where guardrails attach by default.'),
});

const regions = z.strictObject({
  home: region.describe('Region of the organization trail, its log group and alarms, and of global Config types.'),
  enabled: z
    .array(region)
    .min(1, { error: 'expected at least one enabled region' })
    .describe('Every region the baseline covers; must include the home region.'),
});

const notifications = z.strictObject({
  emails: z.array(email).default([]).describe('Addresses subscribed to alarms and findings (each must confirm).'),
  httpsEndpoints: z.array(httpsUrl).default([]).describe('HTTPS endpoints (a ticketing system, a chat hook).'),
});

const lifecycle = z.strictObject({
  infrequentAccessAfterDays: days(30, 36500).default(90).describe('Move log objects to STANDARD_IA after this many days.'),
  glacierAfterDays: days(31, 36500).default(365).describe('Move log objects to GLACIER after this many days.'),
  expireAfterDays: days(1, 36500).default(2557).describe('Expire log objects after this many days (default 7 years).'),
  noncurrentVersionExpireAfterDays: days(1, 36500).default(90).describe('Expire overwritten versions after this.'),
  abortIncompleteUploadAfterDays: days(1, 365).default(7),
});

const objectLock = z.strictObject({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE']).describe('COMPLIANCE cannot be lifted even by the root user.'),
  retentionDays: days(1, 36500).describe('Default retention of every new log object.'),
});

const logArchive = z.strictObject({
  lifecycle: lifecycle.prefault({}),
  accessLogExpireAfterDays: days(1, 36500).default(365).describe('Expiry of the server access logs of the log bucket.'),
  objectLock: objectLock
    .optional()
    .describe('Object Lock on the log bucket; once on, it cannot be turned off, and AWS Config cannot deliver to the bucket. Off unless set.'),
  readerRoleArns: z
    .array(roleArn)
    .default([])
    .describe('Roles (e.g. investigators, a SIEM) that may read and decrypt the logs; they may be created before or after the log archive.'),
  breakGlassRoleArn: roleArn
    .optional()
    .describe(
      'The only role that may delete log objects or change the policy, lifecycle, versioning, encryption or Object Lock of the log buckets. Without it, nobody may (the root user can still replace the bucket policy).',
    ),
});

export const CIS_ALARM_IDS = [
  'unauthorized-api-calls',
  'console-signin-without-mfa',
  'root-account-usage',
  'iam-policy-changes',
  'cloudtrail-changes',
  'console-authentication-failures',
  'cmk-disable-or-deletion',
  's3-bucket-policy-changes',
  'config-changes',
  'security-group-changes',
  'nacl-changes',
  'network-gateway-changes',
  'route-table-changes',
  'vpc-changes',
  'organizations-changes',
] as const;
export type CisAlarmId = (typeof CIS_ALARM_IDS)[number];

const alarmExclusion = z.strictObject({
  selector: z
    .string()
    .regex(/^\$(?:\.[A-Za-z0-9_]+)+$/, { error: 'expected a CloudTrail field selector such as "$.userIdentity.arn"' }),
  value: z
    .string()
    .min(1)
    .regex(/^[^"\\]*$/, { error: 'expected a value without double quotes or backslashes' })
    // Terraform reads "${" and "%{" in any string of the stack as the start of an expression or directive.
    .regex(/^(?![\s\S]*[$%]\{)/, { error: 'expected a value without "${" or "%{", which Terraform would read as an expression' }),
});

const alarm = z.strictObject({
  enabled: z.boolean().default(true),
  exclude: z
    .array(alarmExclusion)
    .default([])
    .describe(
      'Events to leave out, e.g. a noisy service role ("*" globs allowed); the CIS pattern is kept verbatim and each exclusion is added as "&& ((field != value) || (field NOT EXISTS))".',
    ),
});

const monitoring = z.strictObject({
  // Custom namespaces cannot begin with "AWS/", which AWS reserves for its services; a metric filter's namespace is 1
  // to 255 characters without ":", "*" or "$".
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html
  metricNamespace: z
    .string({ error: 'expected a CloudWatch metric namespace in quotes' })
    .regex(/^[^:*$]{1,255}$/, { error: 'expected a CloudWatch metric namespace: 1 to 255 characters, without ":", "*" or "$"', abort: true })
    .refine((namespace) => !namespace.startsWith('AWS/'), { error: 'expected a namespace that does not start with "AWS/" (reserved for AWS services)' })
    .default('CISBenchmark'),
  alarms: z
    .strictObject(Object.fromEntries(CIS_ALARM_IDS.map((id) => [id, alarm.prefault({})])) as Record<CisAlarmId, z.ZodPrefault<typeof alarm>>)
    .prefault({})
    .describe('Per-alarm settings of the 15 CIS monitoring alarms.'),
  managementAccountWorkloads: z
    .strictObject({
      enabled: z.boolean().default(true),
      exclude: z.array(alarmExclusion).default([]).describe('Events to leave out, as for the CIS alarms.'),
    })
    .prefault({})
    .describe(
      'Alarm when a workload (instance, function, database, bucket, cluster) or an access key is created in the management account, which is for account management only.',
    ),
  logGroupName: z
    .string()
    .regex(/^[\w./#-]{1,512}$/, { error: 'expected a CloudWatch Logs group name (1 to 512 letters, digits, . _ - / #)' })
    .optional()
    .describe(
      'With trail.mode "data-events-only": the log group, in the management account and home region, of the trail that logs management events (Control Tower: "aws-controltower/CloudTrailLogs"); the CIS alarms watch it.',
    ),
});

/**
 * The event sources AWS lists for CloudTrail network activity events (VPC endpoints) at general availability:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html. AWS has added
 * more since (2025-09, 2025-10); one is added here once its value is checked there, since CloudTrail refuses a selector
 * naming a source it does not support and the trail would not apply.
 */
export const NETWORK_ACTIVITY_EVENT_SOURCES = [
  'cloudtrail.amazonaws.com',
  'ec2.amazonaws.com',
  'kms.amazonaws.com',
  's3.amazonaws.com',
  'secretsmanager.amazonaws.com',
] as const;

/** The services the data perimeter (RCP) covers: S3 and KMS (lib/guardrails/data-perimeter.ts). */
export const DATA_PERIMETER_EVENT_SOURCES: readonly (typeof NETWORK_ACTIVITY_EVENT_SOURCES)[number][] = ['kms.amazonaws.com', 's3.amazonaws.com'];

const networkActivityEvents = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Log CloudTrail network activity events of the VPC endpoints of every account (billed per event, as data events).'),
    eventSources: z
      .array(
        z.enum(NETWORK_ACTIVITY_EVENT_SOURCES, {
          error: `expected an event source CloudTrail logs network activity for: ${NETWORK_ACTIVITY_EVENT_SOURCES.join(', ')}`,
        }),
      )
      .min(1, { error: 'expected at least one event source; set enabled to false to log no network activity events' })
      .refine((sources) => new Set(sources).size === sources.length, { error: 'expected each event source once' })
      .default([...DATA_PERIMETER_EVENT_SOURCES])
      .describe('Services whose calls through VPC endpoints are logged; by default those the data perimeter covers (S3, KMS).'),
    allEvents: z
      .boolean()
      .default(false)
      .describe('Log every call through the endpoints, not only those a VPC endpoint policy denied (VpceAccessDenied): far more events, all billed.'),
  })
  .describe('CloudTrail network activity events for VPC endpoints: calls a VPC endpoint policy denied, or every call.');

const trail = z.strictObject({
  mode: z
    .enum(['full', 'data-events-only'])
    .default('full')
    .describe('"data-events-only" when Control Tower or another organization trail already logs management events.'),
  cloudWatchLogsRetentionDays: cloudWatchRetentionDays.default(365),
  lambdaDataEvents: z.boolean().default(false).describe('Log Lambda Invoke data events (billed per event).'),
  insights: z.boolean().default(false).describe('CloudTrail Insights on API call and error rates (billed).'),
  networkActivityEvents: networkActivityEvents.prefault({}),
});

export const CONFIG_RULE_IDS = [
  'root-account-mfa-enabled',
  'iam-root-access-key-check',
  'mfa-enabled-for-iam-console-access',
  'iam-user-unused-credentials-check',
  'iam-user-no-policies-check',
  'iam-policy-no-statements-with-admin-access',
  'access-keys-rotated',
  'iam-password-policy',
  'restricted-ssh',
  'restricted-common-ports',
  's3-bucket-public-read-prohibited',
  's3-bucket-public-write-prohibited',
  's3-bucket-ssl-requests-only',
  'ec2-imdsv2-check',
  'vpc-default-security-group-closed',
  'nacl-no-unrestricted-ssh-rdp',
  'vpc-flow-logs-enabled',
  'cloudtrail-enabled',
  'ebs-encryption-by-default',
] as const;
export type ConfigRuleId = (typeof CONFIG_RULE_IDS)[number];

const awsConfig = z.strictObject({
  recordingFrequency: z.enum(['CONTINUOUS', 'DAILY']).default('CONTINUOUS'),
  rules: z
    .strictObject(Object.fromEntries(CONFIG_RULE_IDS.map((id) => [id, z.boolean().default(true)])) as Record<ConfigRuleId, z.ZodDefault<z.ZodBoolean>>)
    .prefault({})
    .describe('AWS Config managed rules; each can be turned off.'),
});

const flowLogs = z.strictObject({
  trafficType: z.enum(['ALL', 'ACCEPT', 'REJECT']).default('ALL'),
  fileFormat: z.enum(['parquet', 'plain-text']).default('parquet'),
  hiveCompatiblePartitions: z.boolean().default(true),
  perHourPartition: z.boolean().default(true),
  maxAggregationIntervalSeconds: z.union([z.literal(60), z.literal(600)]).default(600),
});

const accountBaseline = z.strictObject({
  passwordPolicy: z
    .strictObject({
      minimumLength: z.number().int().min(14, { error: 'expected at least 14 (CIS)' }).max(128).default(14),
      reusePrevention: z.number().int().min(24, { error: 'expected 24 (CIS)' }).max(24).default(24),
      maxAgeDays: days(1, 90).default(90),
    })
    .prefault({}),
  ebsDefaultKmsKeyArn: z
    .string()
    .regex(/^arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)\/[\w/-]+$/, { error: 'expected a KMS key ARN' })
    .optional()
    .describe(
      'Customer-managed key for EBS default encryption, used in its own region (a multi-Region "mrk-" key: its replica in every enabled region); the AWS-managed key elsewhere and when unset.',
    ),
  imdsHopLimit: z.number().int().min(1).max(64).default(2),
  defaultSecurityGroups: z
    .enum(['default-vpc', 'all-vpcs', 'untouched'])
    .default('default-vpc')
    .describe('Whose default security group is stripped of all rules.'),
  supportRoleTrustedPrincipalArns: z
    .array(principalArn)
    .default([])
    .describe('Who may assume the AWS Support role (e.g. your support desk\'s roles); only the deployment role when empty.'),
  unusedAccessAnalyzer: z.boolean().default(false).describe('IAM Access Analyzer for unused access (billed per role).'),
  ecrScanOnPush: z.boolean().default(true),
});

const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'expected a subnet id such as "subnet-0abc1234"' });

const vpcBlockPublicAccessExclusion = z
  .strictObject({
    account: resourceName(32).describe('Name of the account that owns the VPC or subnet.'),
    region: region.describe('Region of the VPC or subnet.'),
    vpcId: vpcId.optional(),
    subnetId: subnetId.optional(),
    mode: z
      .enum(['allow-egress', 'allow-bidirectional'])
      .default('allow-egress')
      .describe('"allow-egress": outbound only (a central egress VPC behind NAT); "allow-bidirectional": also inbound.'),
    reason: z.string().min(1).max(256).describe('Why this VPC or subnet reaches the internet; shown in reviews and tags.'),
  })
  .refine((exclusion) => (exclusion.vpcId === undefined) !== (exclusion.subnetId === undefined), {
    error: 'expected exactly one of vpcId or subnetId',
  });

const allowedImages = z.strictObject({
  state: z
    .enum(['enabled', 'audit_mode'])
    .default('audit_mode')
    .describe('"audit_mode" reports images outside the criteria without blocking them; "enabled" blocks their discovery and use.'),
  imageProviders: z
    .array(z.union([accountId, z.enum(['amazon', 'aws_marketplace', 'aws_backup_vault'])]))
    .min(1, { error: 'expected at least one image provider (an account id, "amazon", "aws_marketplace" or "aws_backup_vault")' })
    .max(200)
    .describe('Who may provide images: account ids or the aliases amazon, aws_marketplace, aws_backup_vault.'),
  maximumDaysSinceCreated: z.number().int().min(0).max(2147483647).optional().describe('Images older than this are not allowed.'),
});

const ec2DeclarativePolicy = z
  .strictObject({
    enabled: z.boolean().default(true).describe('EC2 declarative policy attached to guardrails.targets; needs the DECLARATIVE_POLICY_EC2 policy type enabled on the root.'),
    instanceMetadataDefaults: z
      .boolean()
      .default(true)
      .describe('IMDS defaults of every new instance: IMDSv2 required, hop limit accountBaseline.imdsHopLimit, instance tags off. Replaces the per-account IMDS defaults in the accounts it covers.'),
    snapshotBlockPublicAccess: z.boolean().default(true).describe('EBS snapshots cannot be shared publicly; already public ones become private (block_all_sharing).'),
    imageBlockPublicAccess: z.boolean().default(true).describe('AMIs cannot newly be shared publicly (block_new_sharing).'),
    serialConsoleAccessOff: z.boolean().default(true).describe('The EC2 serial console is off.'),
    vpcBlockPublicAccess: z
      .strictObject({
        enabled: z.boolean().default(true),
        mode: z
          .enum(['block_bidirectional', 'block_ingress'])
          .default('block_bidirectional')
          .describe('"block_bidirectional": no traffic through internet gateways; "block_ingress": outbound through NAT and egress-only gateways still works.'),
        exclusions: z
          .array(vpcBlockPublicAccessExclusion)
          .default([])
          .describe('VPCs or subnets exempt from the block (e.g. a central egress VPC); created in their account, and the policy then allows exclusions.'),
      })
      .prefault({}),
    allowedImages: allowedImages.optional().describe('Allowed AMIs: only images from these providers may be discovered and launched. Off unless set.'),
    exceptionMessage: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe('Message shown to whoever is refused by the policy (e.g. a link to your request process).'),
  })
  .prefault({})
  .describe('EC2 settings enforced by AWS Organizations in every account the guardrails target (not the management account).');

const rootAccess = z
  .strictObject({
    removeMemberRootCredentials: z
      .boolean()
      .default(true)
      .describe('Centralized root access: member accounts can have their root credentials deleted, and new accounts are created without them (RootCredentialsManagement).'),
    rootSessions: z
      .boolean()
      .default(true)
      .describe('Short, task-scoped root sessions (sts:AssumeRoot) from the management account or a delegated administrator (RootSessions).'),
  })
  .prefault({})
  .describe('IAM organization features; needs trusted access for iam.amazonaws.com.');

const guardrails = z.strictObject({
  targets: z
    .array(organizationalUnitOrRootId)
    .default([])
    .describe('Roots or OUs the SCPs attach to; the organization root when empty.'),
  denyLeaveOrganization: z.boolean().default(true).describe('SCP: member accounts cannot leave the organization.'),
  protectBaseline: z
    .boolean()
    .default(true)
    .describe('SCP: only the deployment role may stop, delete or change the trail, Config, flow logs, GuardDuty, Security Hub, Access Analyzer and account defaults.'),
  denyRootUser: z.boolean().default(true).describe('SCP: the root user of member accounts can do nothing.'),
  requireImdsv2: z
    .boolean()
    .default(true)
    .describe('SCP: instances launch with IMDSv2 required and at most accountBaseline.imdsHopLimit hops; IMDSv1 cannot be turned back on.'),
  denyPublicEcr: z
    .boolean()
    .default(true)
    .describe('SCP: no public ECR repositories; repository policies only by the deployment role.'),
  regionDeny: z
    .strictObject({
      enabled: z.boolean().default(false).describe('SCP: regional services are denied outside the allowed regions.'),
      allowedRegions: z.array(region).optional().describe('Defaults to the enabled regions; must include every enabled region.'),
    })
    .prefault({}),
  ec2DeclarativePolicy,
  rootAccess,
  dataPerimeter: z
    .strictObject({
      enabled: z.boolean().default(false).describe('Resource control policies; off by default as they can break access.'),
      allowedCidrs: z.array(cidr).default([]).describe('Networks from which the monitored buckets may be reached.'),
      allowedVpcIds: z.array(vpcId).default([]).describe('VPCs (through endpoints) from which the monitored buckets may be reached.'),
    })
    .prefault({}),
});

const severity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'], { error: 'expected LOW, MEDIUM, HIGH or CRITICAL' });

const securityServices = z.strictObject({
  guardDuty: z
    .strictObject({
      s3Protection: z.boolean().default(true),
      eksAuditLogs: z.boolean().default(true),
      ebsMalwareProtection: z.boolean().default(true),
      rdsLoginEvents: z.boolean().default(true),
      lambdaNetworkLogs: z.boolean().default(true),
      runtimeMonitoring: z.boolean().default(false).describe('Agent-based; billed per vCPU.'),
      runtimeMonitoringAgents: z
        .strictObject({
          ec2: z.boolean().default(true).describe('GuardDuty installs and updates the security agent on EC2 instances (SSM-managed).'),
          ecsFargate: z.boolean().default(true).describe('GuardDuty adds the security agent as a sidecar to new Fargate tasks.'),
          eks: z.boolean().default(true).describe('GuardDuty manages the security agent as an EKS add-on.'),
        })
        .prefault({})
        .describe('With runtimeMonitoring: where GuardDuty manages its agent; turned off, you deploy the agent yourself.'),
      s3MalwareProtection: z
        .strictObject({
          buckets: z
            .array(
              z.strictObject({
                name: bucketName,
                account: resourceName(32).describe('Name of the account that owns the bucket.'),
                region: region.describe('Region of the bucket.'),
                prefixes: z.array(z.string().min(1).max(1024)).max(5).default([]).describe('Scan only new objects under these prefixes (at most 5); every new object when empty.'),
                kmsKeyArn: z
                  .string()
                  .regex(/^arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { error: 'expected a KMS key ARN' })
                  .optional()
                  .describe('The key the bucket encrypts with (SSE-KMS), which the scanning role must be able to use.'),
              }),
            )
            .default([])
            .describe('Buckets whose new objects GuardDuty scans for malware (billed per GB scanned); each gets a protection plan and its role in the owning account.'),
          tagObjects: z.boolean().default(true).describe('Tag each scanned object with its result, so bucket policies can deny infected objects.'),
        })
        .prefault({}),
    })
    .prefault({}),
  securityHub: z
    .strictObject({
      cisStandard: z.boolean().default(true).describe('CIS AWS Foundations Benchmark v5.0.0 in every account and region.'),
      foundationalBestPractices: z.boolean().default(true).describe('AWS Foundational Security Best Practices in every account and region.'),
    })
    .prefault({}),
  accessAnalyzer: z
    .strictObject({
      internalAccess: z
        .boolean()
        .default(true)
        .describe('IAM Access Analyzer internal access findings (billed per resource monitored): who in the organization can reach the log archive buckets and key, and the monitored buckets.'),
    })
    .prefault({}),
  findingsSeverityThreshold: severity.default('HIGH').describe('Findings at or above this severity are sent on.'),
  delegateCloudTrailAdministration: z
    .boolean()
    .default(false)
    .describe('Also make the security account a delegated administrator of CloudTrail.'),
});

export const monitoredBucket = z.strictObject({
  name: bucketName,
  account: resourceName(32).describe('Name of the account that owns the bucket.'),
  region: region.describe('Region of the bucket.'),
  keyPatterns: z
    .array(
      z
        .string({ error: 'expected a key pattern in quotes' })
        .min(1, { error: 'expected a glob or "keyword:<word>", not an empty pattern' })
        .refine((pattern) => pattern !== 'keyword:', { error: 'expected a word after "keyword:"' }),
    )
    .min(1, { error: 'expected at least one key pattern ("*" for every key)' })
    .describe('Globs ("customers/*.csv") or "keyword:<word>"; matched case-insensitively.'),
  accessPoints: z
    .array(accessPointId)
    .default([])
    .describe(
      'Every access point of the bucket (ARN or alias; multi-Region and Object Lambda ones too): a read through one names it instead of the bucket.',
    ),
});

const kmsKeyArn = z
  .string()
  .regex(/^arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, { error: 'expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)' });

export const detectorDrill = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('A scheduled read of a canary object in every monitored bucket by a role outside the allow-lists; an alarm when its finding stops arriving.'),
    intervalHours: z.number().int().min(1).max(24).default(24).describe('Hours between drill reads (default daily).'),
    deliveryAllowanceHours: z
      .number()
      .int()
      .min(1)
      .max(12)
      .default(1)
      .describe('How late a drill finding may arrive (CloudTrail delivery is best effort) before the heartbeat alarm fires.'),
    canaryKeys: z
      .record(bucketName, z.string().min(1).max(1024))
      .default({})
      .describe("Canary key per monitored bucket, which must match the bucket's keyPatterns; derived from them when not given."),
    kmsKeyArns: z
      .record(bucketName, kmsKeyArn)
      .default({})
      .describe('For a bucket whose default encryption is SSE-KMS with a customer managed key: that key, which the drill role may then use through S3 to decrypt its canary.'),
  })
  .describe('The detection drill: proves every hop from the trail to the findings topic works, every day.');

const massDownloadExemption = z
  .strictObject({
    principals: z.array(z.string().min(1)).min(1).optional().describe('Role names, role or user ARNs, or account ids, with "*" globs.'),
    cidrs: z.array(cidr).min(1).optional().describe('Networks the reads come from.'),
    vpcEndpoints: z.array(vpcEndpointId).min(1).optional().describe('VPC endpoints the reads come through.'),
  })
  .refine((exemption) => exemption.principals !== undefined || exemption.cidrs !== undefined || exemption.vpcEndpoints !== undefined, {
    error: 'expected at least one of principals, cidrs, vpcEndpoints',
  })
  .describe('Counted but never fires when every part given matches (principal and network, when both are given).');

const massDownload = z
  .strictObject({
    windowMinutes: z.number().int().min(1).max(1440).default(10).describe('The sliding window (it moves a tenth at a time).'),
    readThreshold: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(100)
      .describe('Object reads of one bucket by one principal within the window that fire (denied reads count).'),
    sharePercent: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(20)
      .describe("Percentage of a bucket's objects read within the window that fires, for buckets whose objectCount is given."),
    minimumReadsForShare: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(10)
      .describe('Fewer reads never fire by share: a handful of reads of a tiny bucket is not a sync.'),
    buckets: z
      .record(
        bucketName,
        z.strictObject({
          readThreshold: z.number().int().min(1).max(10_000_000).optional().describe('This bucket\'s count threshold.'),
          objectCount: z
            .number()
            .int()
            .min(1)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .describe("The bucket's object count (its NumberOfObjects storage metric), for the share threshold."),
        }),
      )
      .default({})
      .describe('Per monitored bucket: its own count threshold and its object count.'),
    exemptions: z.array(massDownloadExemption).default([]).describe('Batch jobs and backups: counted, never fire.'),
  })
  .describe('The mass-download rule: per principal and bucket, object reads within a sliding window.');

const detector = z.strictObject({
  enabled: z.boolean().default(true),
  monitoredBuckets: z.array(monitoredBucket).default([]),
  authorizedCidrs: z.array(cidr).default([]).describe('Networks from which sensitive reads are expected.'),
  authorizedVpcEndpoints: z.array(vpcEndpointId).default([]),
  authorizedServices: z
    .array(z.string().regex(/^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com$/, { error: 'expected an AWS service principal such as "athena.amazonaws.com"' }))
    .default([])
    .describe(
      'AWS services (e.g. "athena.amazonaws.com") through which authorized principals may read sensitive keys from any network. Empty: every service call is judged as from outside.',
    ),
  authorizedPrincipals: z
    .array(z.string().min(1))
    .default([])
    .describe('Role names, role or user ARNs, or account ids, with "*" globs, that may read sensitive keys.'),
  enumerationPrincipals: z
    .array(z.string().min(1))
    .default([])
    .describe('Principals expected to call ListBuckets (inventory tools), same forms as authorizedPrincipals.'),
  rules: z
    .strictObject({
      sensitiveObjectAccess: z.boolean().default(true),
      instanceCredentialsOutsideAws: z.boolean().default(true),
      bucketEnumeration: z.boolean().default(true),
      vpcEndpointAccess: z
        .boolean()
        .default(true)
        .describe(
          'A principal of the organization denied by a VPC endpoint policy, or credentials or resources of another organization used through an endpoint (needs trail.networkActivityEvents).',
        ),
      massDownload: z
        .boolean()
        .default(true)
        .describe('Many object reads of one monitored bucket by one principal within minutes (an "aws s3 sync"); keeps its windows in a DynamoDB table.'),
    })
    .prefault({}),
  massDownload: massDownload.prefault({}),
  response: z.enum(['off', 'dry-run', 'enforce']).default('off').describe('Revoke the sessions of a flagged principal.'),
  reservedConcurrency: z.number().int().min(1).max(1000).default(5),
  drill: detectorDrill.prefault({}),
});

const usd = z.number().positive({ error: 'expected an amount in US dollars greater than 0' }).max(1_000_000_000);
const percent = (min: number, max: number) =>
  z.number().int({ error: 'expected a whole percentage' }).min(min, { error: `expected at least ${min}%` }).max(max, { error: `expected at most ${max}%` });

const costGuardrails = z.strictObject({
  budgets: z
    .strictObject({
      enabled: z.boolean().default(true),
      monthlyLimitUsd: usd.default(1000).describe('Monthly cost budget of every account (USD), unless the account has its own below.'),
      accountLimitsUsd: z
        .record(z.string(), usd)
        .default({})
        .describe('Monthly cost budget (USD) by account name, overriding monthlyLimitUsd.'),
      actualThresholdPercents: z
        .array(percent(1, 1000))
        .min(1, { error: 'expected at least one threshold' })
        .max(4, { error: 'expected at most 4 thresholds (with the forecast one, AWS Budgets takes 5 notifications per budget)' })
        .default([80, 100])
        .describe('Notify when actual spend reaches these shares of the budget.'),
      forecastThresholdPercent: percent(1, 1000).default(100).describe('Notify when forecast spend for the month reaches this share of the budget.'),
    })
    .prefault({})
    .describe('A monthly cost budget per account, held in the management account, notifying the cost alert topic.'),
  anomalyDetection: z
    .strictObject({
      enabled: z.boolean().default(true),
      monitor: z
        .enum(['service', 'linked-account'])
        .default('service')
        .describe(
          '"service": each service\'s spend, organization-wide; "linked-account": each account\'s on its own (needs a provider release that accepts the LINKED_ACCOUNT dimension). AWS allows one such monitor per dimension and account.',
        ),
      existingMonitorArns: z
        .array(z.string().regex(/^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[\w-]+$/, { error: 'expected an anomaly monitor ARN such as "arn:aws:ce::111111111111:anomalymonitor/0a1b2c3d-..."' }))
        .default([])
        .describe('Monitors the management account already has (such as the "Default-Services-Monitor" Cost Explorer creates): subscribed to instead of creating one.'),
      impactThresholdUsd: usd.default(100).describe('Notify of anomalies whose total impact reaches this amount (USD).'),
    })
    .prefault({})
    .describe('AWS Cost Anomaly Detection for the whole organization, from the management account.'),
  computeLaunchDeny: z
    .strictObject({
      enabled: z.boolean().default(false).describe('Off by default: stopping launches can stop production.'),
      thresholdPercent: percent(100, 1000)
        .default(150)
        .describe('When actual spend reaches this share of an account\'s budget, AWS Budgets attaches an SCP denying compute launches to it until a person reverses the action.'),
    })
    .prefault({}),
});

const hunting = z.strictObject({
  enabled: z.boolean().default(true).describe('An Athena catalog and workgroup over the log archive (no cost until a query runs).'),
  account: z
    .enum(['security', 'log-archive'])
    .default('security')
    .describe('Where the catalog, the workgroup and its results live; the readers who query must be in that account.'),
  bytesScannedCutoffGb: z
    .number()
    .int()
    .min(1, { error: 'expected at least 1 GB' })
    .max(1_000_000)
    .default(100)
    .describe('Athena cancels any query of the workgroup that scans more than this (billed per terabyte scanned).'),
  resultsExpireAfterDays: days(1, 3650).default(30).describe('Query results are deleted after this many days.'),
});

const s3Backend = z.strictObject({
  type: z.literal('s3'),
  bucket: bucketName,
  region,
  // The state key is "<keyPrefix>/<stack>.tfstate". Terraform refuses a key that starts or ends with "/" (validateStringS3Path
  // in hashicorp/terraform internal/backend/remote-state/s3), and "//" would put the state under an empty folder name.
  keyPrefix: z
    .string({ error: 'expected a key prefix in quotes' })
    .regex(/^[\w.-]+(?:\/[\w.-]+)*$/, {
      error: 'expected a key prefix of letters, digits, _ . - in "/"-separated parts, without a leading, trailing or double "/" (such as "tfstate/baseline")',
    })
    .default('aws-baseline'),
  kmsKeyId: z.string().min(1).optional(),
  roleArn: roleArn.optional(),
});

const deployment = z.strictObject({
  roleName: roleName
    .default('OrganizationAccountAccessRole')
    .describe(
      'Role assumed in each account but the management account to deploy (an account may name its own in deploymentRoleName); the guardrails let only it change the baseline.',
    ),
  // STS AssumeRole ExternalId: 2 to 1224 characters of [\w+=,.@:/-].
  // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
  externalId: z
    .string({ error: 'expected an external id in quotes' })
    .regex(/^[\w+=,.@:/-]{2,1224}$/, { error: 'expected an external id of 2 to 1224 letters, digits or + = , . @ : / _ -' })
    .optional(),
  profiles: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('Named AWS CLI profile per account name, used instead of assuming the role.'),
  backend: z
    .discriminatedUnion('type', [z.strictObject({ type: z.literal('local') }), s3Backend])
    .default({ type: 'local' }),
  tags: deploymentTags.default({}).describe(`Extra default tags on every resource (at most the AWS limit of 50 per resource, less the baseline's own: ${BASELINE_TAG_KEYS.join(', ')}, Name).`),
});

export const baselineConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  prefix: resourceName(20)
    // Bucket names are "<prefix>-...": the prefix must not make them start with a prefix S3 reserves.
    .refine((prefix) => !S3_RESERVED_BUCKET_PREFIXES.some((reserved) => `${prefix}-`.startsWith(reserved)), {
      error: `expected a prefix that does not make bucket names start with ${S3_RESERVED_BUCKET_PREFIXES.join(', ')} (reserved by S3)`,
    })
    .describe('Prefix of every resource name the baseline creates.'),
  organization,
  accounts,
  regions,
  notifications: notifications.prefault({}),
  logArchive: logArchive.prefault({}),
  trail: trail.prefault({}),
  monitoring: monitoring.prefault({}),
  config: awsConfig.prefault({}),
  flowLogs: flowLogs.prefault({}),
  accountBaseline: accountBaseline.prefault({}),
  guardrails: guardrails.prefault({}),
  securityServices: securityServices.prefault({}),
  detector: detector.prefault({}),
  costGuardrails: costGuardrails.prefault({}),
  hunting: hunting.prefault({}),
  deployment: deployment.prefault({}),
});

/** The configuration as written (defaults optional). */
export type BaselineConfigInput = z.input<typeof baselineConfigSchema>;
/** The configuration with every default filled in; what the stacks read. */
export type BaselineConfig = z.output<typeof baselineConfigSchema>;
export type Account = z.output<typeof account>;
export type MonitoredBucket = z.output<typeof monitoredBucket>;
