import { INSTANCE_PRINCIPAL_MARK, INSTANCE_SESSION } from '../../../functions/detector/caller';
import { BUCKET_ENUMERATION_EVENT_NAMES, BUCKET_ENUMERATION_EVENT_SOURCE } from '../../../functions/detector/event-names';
import { RULE_LABELS, type RuleId } from '../../../functions/detector/finding';
import { SERVICE_LINKED_ROLE } from '../../../functions/detector/principals';
import { AWS_INTERNAL_SOURCE } from '../../../functions/detector/rules/context';
import { NETWORK_ACTIVITY_CATEGORY, VPCE_ACCESS_DENIED } from '../../../functions/detector/rules/vpc-endpoint-access';
import { BucketResolver } from '../../../functions/detector/s3-object';
import { type DetectorRuleToggles, type DetectorSettings, SERVICE_PRINCIPAL } from '../../../functions/detector/settings';
import { allOf, anyOf, holds, inList, regexpLike, sqlString } from '../portable-sql';
import { SOURCE_ADDRESS_STAGES, sourceInNetworksSql } from './address-sql';
import { type DerivedStages, mergeStages } from './derived-columns';
import { COPY_SOURCE_STAGES, readsSensitiveObjectSql } from './object-sql';
import { organizationAccountsTable, organizationMemberSql, type QueryTable } from './organization-sql';
import { principalMatchSql } from './principal-sql';

/*
 * The detector's rules as Athena SQL. Each stateless rule of functions/detector/ has an entry here, keyed by its id: a
 * rule added to the detector (a new RuleId) does not compile until it is given its SQL here or declared stateful with
 * the reason it cannot be a query. The SQL reads the same decision data as the rule (event names, the principal
 * forms, the access point table, the patterns of a session ARN), and the parity tests run both over the same archive.
 */

/** A rule compiled to a condition over the CloudTrail table, with the derived columns it reads. */
export interface DetectorHunt {
  readonly toggle: keyof DetectorRuleToggles;
  readonly title: string;
  /** Subquery stages the condition reads (derived-columns.ts). */
  readonly stages: DerivedStages;
  readonly condition: (settings: DetectorSettings) => string;
  /** Tables the condition reads, defined before the query's SELECT. */
  readonly tables: (settings: DetectorSettings) => readonly QueryTable[];
}

/** A rule whose findings depend on other events (windows, counts): no single-row condition can say it. */
export interface StatefulDetectorRule {
  readonly stateful: string;
}

const identity = 'useridentity';

/** assertCloudTrailRecord's required fields: a record without them is malformed, and the detector judges nothing. */
const WELL_FORMED = allOf(['eventtime', 'eventsource', 'eventname', 'eventid'].map((column) => holds(`${column} <> ''`)).concat(`${identity} IS NOT NULL`));

/** originOf (rules/context.ts), as the two conditions the rules use: outside, and authorized. */
function originSql(settings: DetectorSettings): { outside: string; authorized: string } {
  const source = "COALESCE(sourceipaddress, '')";
  const endpoint = holds("vpcendpointid <> ''");
  const listedEndpoint = holds(inList('vpcendpointid', settings.authorizedVpcEndpoints));
  const organizationEndpoint = holds(organizationMemberSql('vpcendpointaccountid', settings.organizationAccountIds));
  const inNetworks = sourceInNetworksSql(settings.authorizedCidrs);
  const serviceSource = holds(anyOf([`${source} = ${sqlString(AWS_INTERNAL_SOURCE)}`, regexpLike(source, SERVICE_PRINCIPAL)]));
  const authorizedService = holds(allOf([serviceSource, inList(source, settings.authorizedServices), `${identity}.invokedby = ${source}`]));
  return {
    outside: `CASE WHEN ${endpoint} THEN NOT (${listedEndpoint} OR ${organizationEndpoint}) ELSE NOT (${inNetworks} OR ${serviceSource}) END`,
    authorized: `CASE WHEN ${endpoint} THEN ${listedEndpoint} OR (${organizationEndpoint} AND ${inNetworks}) ELSE ${inNetworks} OR ${authorizedService} END`,
  };
}

/** classifyCaller's instance-role-session: a role session named after an instance or delivered by EC2, not a service's. */
const INSTANCE_ROLE_SESSION = allOf([
  `${identity}.type = 'AssumedRole'`,
  `NOT ${holds(regexpLike(`NULLIF(${identity}.sessioncontext.sessionissuer.arn, '')`, SERVICE_LINKED_ROLE))}`,
  holds(
    anyOf([
      regexpLike(`${identity}.principalid`, INSTANCE_SESSION),
      regexpLike(`${identity}.arn`, INSTANCE_SESSION),
      `${identity}.sessioncontext.ec2roledelivery IS NOT NULL`,
    ]),
  ),
]);

export const DETECTOR_HUNTS: Readonly<Record<RuleId, DetectorHunt | StatefulDetectorRule>> = {
  'sensitive-object-access': {
    toggle: 'sensitiveObjectAccess',
    title: `Detector: ${RULE_LABELS['sensitive-object-access']} by a caller or from a network not authorized`,
    stages: mergeStages(SOURCE_ADDRESS_STAGES, COPY_SOURCE_STAGES),
    tables: (settings) => [organizationAccountsTable(settings.organizationAccountIds)],
    condition: (settings) =>
      allOf([
        WELL_FORMED,
        readsSensitiveObjectSql(settings.monitoredBuckets, new BucketResolver(settings.monitoredBuckets)),
        `NOT (${originSql(settings).authorized} AND ${principalMatchSql(settings.authorizedPrincipals, settings.organizationAccountIds)})`,
      ]),
  },
  'instance-credentials-outside-aws': {
    toggle: 'instanceCredentialsOutsideAws',
    title: `Detector: ${RULE_LABELS['instance-credentials-outside-aws']} (outside the authorized networks and VPC endpoints)`,
    stages: SOURCE_ADDRESS_STAGES,
    tables: (settings) => [organizationAccountsTable(settings.organizationAccountIds)],
    condition: (settings) =>
      allOf([
        WELL_FORMED,
        holds(`strpos(${identity}.principalid, ${sqlString(INSTANCE_PRINCIPAL_MARK)}) > 0 OR ${identity}.sessioncontext.ec2roledelivery IS NOT NULL`),
        INSTANCE_ROLE_SESSION,
        originSql(settings).outside,
      ]),
  },
  'vpc-endpoint-access': {
    toggle: 'vpcEndpointAccess',
    title: `Detector: ${RULE_LABELS['vpc-endpoint-access']} by credentials or to resources outside the organization, or denied by the endpoint's policy`,
    stages: [],
    tables: (settings) => [organizationAccountsTable(settings.organizationAccountIds)],
    condition: (settings) => {
      const callerInOrganization = holds(allOf([regexpLike(`${identity}.accountid`, /^\d{12}$/), organizationMemberSql(`${identity}.accountid`, settings.organizationAccountIds)]));
      // Engines take no subquery inside a lambda: the organization's accounts are listed in it.
      const foreignResource = holds(
        `cardinality(filter(resources, r -> ${holds(allOf(['r.accountid IS NOT NULL', `NOT ${holds(inList('r.accountid', settings.organizationAccountIds))}`]))})) > 0`,
      );
      const denied = holds(`errorcode = ${sqlString(VPCE_ACCESS_DENIED)}`);
      return allOf([WELL_FORMED, `eventcategory = ${sqlString(NETWORK_ACTIVITY_CATEGORY)}`, `NOT (${callerInOrganization} AND NOT ${foreignResource} AND NOT ${denied})`]);
    },
  },
  'bucket-enumeration': {
    toggle: 'bucketEnumeration',
    title: `Detector: ${RULE_LABELS['bucket-enumeration']} by a principal not expected to list buckets`,
    stages: [],
    tables: (settings) => [organizationAccountsTable(settings.organizationAccountIds)],
    condition: (settings) =>
      allOf([
        WELL_FORMED,
        `eventsource = ${sqlString(BUCKET_ENUMERATION_EVENT_SOURCE)}`,
        holds(inList('eventname', BUCKET_ENUMERATION_EVENT_NAMES)),
        `NOT ${principalMatchSql(settings.enumerationPrincipals, settings.organizationAccountIds)}`,
      ]),
  },
  'mass-download': {
    stateful:
      'counts object reads per principal and bucket over a sliding window (functions/detector/mass-download): replay the archive with npm run replay, which keeps the same windows in memory',
  },
};

/** Whether an entry is a rule the hunts compile. */
export const isDetectorHunt = (entry: DetectorHunt | StatefulDetectorRule): entry is DetectorHunt => !('stateful' in entry);
