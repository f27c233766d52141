import type * as Ddb from '@aws-sdk/client-dynamodb';
import type { Finding } from '../finding';
import type { CountedRead } from './reads';
import type { ClaimResult, IncidentClaim, WindowStore } from './rule';
import type { SlotCount } from './window';

/*
 * The rule's state in the security account's DynamoDB table (lib/detector/detector-state-table.ts), keyed by `pk`
 * (string) and `sk` (number):
 *   read|<principal>|<bucket>   sk = slot    reads and denied reads (atomic ADD), first/last time, source, user agent
 *   event|<event id>|<bucket>   sk = 0       the read was counted: written in the same transaction as the count, so a
 *                                            retried event is never counted twice, nor lost between two writes
 *   incident|<principal>|<bucket> sk = 0     the last finding's window: a new finding only after it ends
 *   finding|<finding id>        sk = 0       the finding, whether it was published, and, later, who approved its
 *                                            cut-off (tools/approve.ts); kept without expiry, as the record of both
 * Every write but the finding carries `expiresAt` for the table's TTL. Each failure propagates: the invocation fails
 * and Lambda's retries, then the failure queue, keep the event, rather than leave a read uncounted.
 * Conditions and the transaction's all-or-nothing: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 */

export const TABLE_KEY = { partition: 'pk', sort: 'sk' } as const;

/** The table's key schema as CreateTable takes it (the emulator tests and the bench create the table with it). */
export const TABLE_KEY_SCHEMA: Pick<Ddb.CreateTableCommandInput, 'KeySchema' | 'AttributeDefinitions'> = {
  KeySchema: [
    { AttributeName: TABLE_KEY.partition, KeyType: 'HASH' },
    { AttributeName: TABLE_KEY.sort, KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: TABLE_KEY.partition, AttributeType: 'S' },
    { AttributeName: TABLE_KEY.sort, AttributeType: 'N' },
  ],
};
export const TTL_ATTRIBUTE = 'expiresAt';

type Sdk = Pick<typeof Ddb, 'TransactWriteItemsCommand' | 'QueryCommand' | 'GetItemCommand' | 'UpdateItemCommand'>;
type Client = Pick<Ddb.DynamoDBClient, 'send'>;
type Item = Record<string, Ddb.AttributeValue>;

export const keys = {
  reads: (principal: string, bucket: string) => `read|${principal}|${bucket}`,
  event: (eventId: string, bucket: string) => `event|${eventId}|${bucket}`,
  incident: (principal: string, bucket: string) => `incident|${principal}|${bucket}`,
  finding: (findingId: string) => `finding|${findingId}`,
};

const S = (value: string): Ddb.AttributeValue => ({ S: value });
const N = (value: number): Ddb.AttributeValue => ({ N: String(value) });

export class DynamoDbWindows implements WindowStore {
  constructor(
    private readonly sdk: Sdk,
    private readonly client: Client,
    private readonly tableName: string,
  ) {}

  async count(read: CountedRead, range: { readonly from: number; readonly to: number }, expiresAt: number): Promise<readonly SlotCount[]> {
    const time = new Date(read.timeMs).toISOString().replace('.000Z', 'Z');
    // Every attribute by placeholder: "reads" and others are DynamoDB reserved words
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html).
    const sets = ['#firstTime = if_not_exists(#firstTime, :time)', '#lastTime = :time', '#expires = :expires'];
    const names: Record<string, string> = { '#reads': 'reads', '#denied': 'deniedReads', '#firstTime': 'firstTime', '#lastTime': 'lastTime', '#expires': TTL_ATTRIBUTE };
    const values: Item = { ':one': N(1), ':denied': N(read.denied ? 1 : 0), ':time': S(time), ':expires': N(expiresAt) };
    if (read.source !== undefined) {
      sets.push('#firstSource = if_not_exists(#firstSource, :source)', '#lastSource = :source');
      Object.assign(names, { '#firstSource': 'firstSource', '#lastSource': 'lastSource' });
      values[':source'] = S(read.source);
    }
    if (read.userAgent !== undefined) {
      sets.push('#firstAgent = if_not_exists(#firstAgent, :agent)', '#lastAgent = :agent');
      Object.assign(names, { '#firstAgent': 'firstAgent', '#lastAgent': 'lastAgent' });
      values[':agent'] = S(read.userAgent);
    }
    try {
      await this.client.send(
        new this.sdk.TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: S(keys.event(read.eventId, read.bucket)), sk: N(0), [TTL_ATTRIBUTE]: N(Math.max(expiresAt, Math.ceil(read.timeMs / 1000))) },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEY.partition },
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: { pk: S(keys.reads(read.principal, read.bucket)), sk: N(read.slot) },
                UpdateExpression: `ADD #reads :one, #denied :denied SET ${sets.join(', ')}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
    } catch (error) {
      // The event's marker exists: this read was counted by an earlier attempt. Anything else fails the invocation.
      if (!cancelledByConditions(error, [0])) throw error;
    }
    const slots: SlotCount[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new this.sdk.QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#sk': TABLE_KEY.sort },
          ExpressionAttributeValues: { ':pk': S(keys.reads(read.principal, read.bucket)), ':from': N(range.from), ':to': N(range.to) },
          // The count just written must be part of the answer.
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) slots.push(slotOfItem(item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return slots;
  }

  async claim(claim: IncidentClaim): Promise<ClaimResult> {
    const findingId = claim.finding.id!;
    try {
      await this.client.send(
        new this.sdk.TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: S(keys.incident(claim.principal, claim.bucket)),
                  sk: N(0),
                  startSlot: N(claim.window.startSlot),
                  endSlot: N(claim.window.endSlot),
                  eventId: S(claim.eventId),
                  findingId: S(findingId),
                  [TTL_ATTRIBUTE]: N(claim.expiresAt),
                },
                // window.ts opensNewIncident, as a condition: no incident yet, or the last one ended before this window.
                ConditionExpression: 'attribute_not_exists(#pk) OR #endSlot < :start',
                ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#endSlot': 'endSlot' },
                ExpressionAttributeValues: { ':start': N(claim.window.startSlot) },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk: S(keys.finding(findingId)),
                  sk: N(0),
                  finding: S(JSON.stringify(claim.finding)),
                  principal: S(claim.principal),
                  bucket: S(claim.bucket),
                  eventId: S(claim.eventId),
                  published: { BOOL: false },
                },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE_KEY.partition },
              },
            },
          ],
        }),
      );
      return { kind: 'opened' };
    } catch (error) {
      // An incident covers the window, or this finding was recorded by an earlier attempt of the event, or both (a
      // retry of the opening event finds both items, and DynamoDB gives each item's reason): read what is there.
      if (!cancelledByConditions(error, [0, 1])) throw error;
    }
    const incident = await this.get(keys.incident(claim.principal, claim.bucket));
    if (incident === undefined) throw new Error(`no incident for ${claim.principal} and ${claim.bucket} although the condition failed`);
    const endSlot = Number(incident.endSlot?.N);
    if (incident.eventId?.S === claim.eventId && incident.findingId?.S !== undefined) {
      const stored = await this.get(keys.finding(incident.findingId.S));
      if (stored?.published?.BOOL === false && stored.finding?.S !== undefined) {
        return { kind: 'unpublished', finding: JSON.parse(stored.finding.S) as Finding };
      }
    }
    return { kind: 'covered', endSlot };
  }

  async published(findingId: string): Promise<void> {
    await this.client.send(
      new this.sdk.UpdateItemCommand({
        TableName: this.tableName,
        Key: { pk: S(keys.finding(findingId)), sk: N(0) },
        UpdateExpression: 'SET #published = :true',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#published': 'published' },
        ExpressionAttributeValues: { ':true': { BOOL: true } },
      }),
    );
  }

  private async get(pk: string): Promise<Item | undefined> {
    const { Item: item } = await this.client.send(new this.sdk.GetItemCommand({ TableName: this.tableName, Key: { pk: S(pk), sk: N(0) }, ConsistentRead: true }));
    return item;
  }
}

function slotOfItem(item: Item): SlotCount {
  const pair = (first?: string, last?: string) => [...new Set([first, last].filter((value): value is string => value !== undefined))];
  return {
    slot: Number(item.sk.N),
    reads: Number(item.reads?.N ?? 0),
    deniedReads: Number(item.deniedReads?.N ?? 0),
    ...(item.firstTime?.S !== undefined ? { firstTime: item.firstTime.S } : {}),
    ...(item.lastTime?.S !== undefined ? { lastTime: item.lastTime.S } : {}),
    sources: pair(item.firstSource?.S, item.lastSource?.S),
    userAgents: pair(item.firstAgent?.S, item.lastAgent?.S),
  };
}

/**
 * Whether a transaction was cancelled only because conditions failed: the condition of at least one item at `indexes`
 * failed, and every other item's reason is none. Each item has its reason, in the request's order
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html; an item without an error has no code, or "None").
 */
function cancelledByConditions(error: unknown, indexes: readonly number[]): boolean {
  // By name: the error may come from another copy of the SDK than the one whose classes were passed in.
  if ((error as { name?: unknown } | null)?.name !== 'TransactionCanceledException') return false;
  const reasons = (error as Ddb.TransactionCanceledException).CancellationReasons ?? [];
  const failed = (at: number) => indexes.includes(at) && reasons[at]?.Code === 'ConditionalCheckFailed';
  return reasons.some((_, at) => failed(at)) && reasons.every((reason, at) => failed(at) || reason.Code === 'None' || reason.Code === undefined);
}
