/*
 * Which events the detector believes. EventBridge reserves the "aws." source prefix for AWS services: PutEvents
 * refuses it to everyone else (NotAuthorizedForSourceException,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html), while "detail-type" is free text
 * anyone may set. So an event is CloudTrail's only when its source is "aws.<service>" for the service named in the
 * record's eventSource, and it was delivered in the account CloudTrail wrote it for (`account` equals the record's
 * `recipientAccountId`, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 * an account of the organization. The forwarding rules and the detector's rule check the same at each hop.
 */

/** Services whose EventBridge source is not "aws." + the first label of their CloudTrail event source. */
const SOURCE_OF_EVENT_SOURCE: Readonly<Record<string, string>> = {
  'monitoring.amazonaws.com': 'aws.cloudwatch',
};

/** The EventBridge source AWS gives events of a CloudTrail event source; undefined when it is not an AWS service. */
export function eventBridgeSourceOf(eventSource: string): string | undefined {
  const known = SOURCE_OF_EVENT_SOURCE[eventSource];
  if (known !== undefined) return known;
  const match = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(eventSource);
  return match ? `aws.${match[1]}` : undefined;
}

/** Why an event is not CloudTrail's own, or undefined when it is. */
export function untrustedReason(event: Record<string, unknown>, record: unknown, organizationAccountIds: ReadonlySet<string>): string | undefined {
  const detail = record as Record<string, unknown>;
  const source = event.source;
  if (typeof source !== 'string' || !source.startsWith('aws.')) return `source ${JSON.stringify(source)} is not an AWS service`;
  const eventSource = detail.eventSource;
  const expected = typeof eventSource === 'string' ? eventBridgeSourceOf(eventSource) : undefined;
  if (expected !== source) return `source ${JSON.stringify(source)} does not match eventSource ${JSON.stringify(eventSource)}`;
  const account = event.account;
  if (typeof account !== 'string' || account !== detail.recipientAccountId) {
    return `account ${JSON.stringify(account)} does not match recipientAccountId ${JSON.stringify(detail.recipientAccountId)}`;
  }
  if (!organizationAccountIds.has(account)) return `account ${account} is not an account of the organization`;
  return undefined;
}
