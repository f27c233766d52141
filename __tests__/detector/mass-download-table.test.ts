import type { Finding } from '../../functions/detector/finding';
import { DynamoDbWindows, keys, TABLE_KEY_SCHEMA, TTL_ATTRIBUTE } from '../../functions/detector/mass-download/dynamodb-windows';
import type { CountedRead } from '../../functions/detector/mass-download/reads';
import type { IncidentClaim } from '../../functions/detector/mass-download/rule';

/*
 * The DynamoDB store of the mass-download rule, against a client that records each request and answers as told: the
 * requests it makes (keys, conditions, consistency, TTL), how it reads DynamoDB's answers and which failures it keeps.
 * That DynamoDB evaluates these requests as intended is shown against the emulator
 * (__tests__/detector/mass-download.integration.ts).
 */

const TABLE = 'acme-detector-state';

type Answer = Record<string, unknown> | Error;

class Command {
  constructor(
    readonly name: string,
    readonly input: Record<string, any>,
  ) {}
}

/** The SDK's command class of one operation: it only keeps its input. */
const commandOf = (name: string) =>
  class extends Command {
    constructor(input: Record<string, unknown>) {
      super(name, input);
    }
  };

const sdk = {
  TransactWriteItemsCommand: commandOf('TransactWriteItems'),
  QueryCommand: commandOf('Query'),
  GetItemCommand: commandOf('GetItem'),
  UpdateItemCommand: commandOf('UpdateItem'),
};

/** A client answering each request with the next answer given for its operation; `{}` when none is left. */
function client(answers: Record<string, Answer[]> = {}) {
  const sent: Command[] = [];
  return {
    sent,
    send: async (command: Command) => {
      sent.push(command);
      const answer = answers[command.name]?.shift() ?? {};
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

/** A cancelled transaction, with DynamoDB's reason for each item. */
function cancelled(...codes: (string | undefined)[]): Error {
  return Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code })) });
}

function storeWith(answers: Record<string, Answer[]> = {}) {
  const fake = client(answers);
  return { store: new DynamoDbWindows(sdk as never, fake as never, TABLE), sent: fake.sent };
}

const TIME = Date.parse('2026-11-21T10:00:00Z');
const read: CountedRead = {
  principal: 'arn:aws:iam::444444444444:role/acme-reporting',
  bucket: 'acme-customer-records',
  eventId: 'event-1',
  timeMs: TIME,
  slot: 2_947_200,
  denied: false,
  source: '198.51.100.7',
  userAgent: 'aws-cli/2.17.0',
  exempt: false,
};
const RANGE = { from: 2_947_191, to: 2_947_209 };
const EXPIRES = TIME / 1000 + 3600;

describe('mass download: the DynamoDB store, counting a read', () => {
  it('counts the read and marks its event in one transaction, the marker only if absent', async () => {
    const { store, sent } = storeWith();
    await store.count(read, RANGE, EXPIRES);
    const [transaction] = sent;
    expect(transaction.name).toBe('TransactWriteItems');
    const [marker, count] = transaction.input.TransactItems;
    expect(marker.Put).toEqual({
      TableName: TABLE,
      Item: { pk: { S: `event|event-1|acme-customer-records` }, sk: { N: '0' }, [TTL_ATTRIBUTE]: { N: String(EXPIRES) } },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
    expect(count.Update.TableName).toBe(TABLE);
    expect(count.Update.Key).toEqual({ pk: { S: keys.reads(read.principal, read.bucket) }, sk: { N: String(read.slot) } });
    expect(count.Update.UpdateExpression).toBe(
      'ADD #reads :one, #denied :denied SET #firstTime = if_not_exists(#firstTime, :time), #lastTime = :time, #expires = :expires, ' +
        '#firstSource = if_not_exists(#firstSource, :source), #lastSource = :source, #firstAgent = if_not_exists(#firstAgent, :agent), #lastAgent = :agent',
    );
    expect(count.Update.ExpressionAttributeNames).toEqual({
      '#reads': 'reads',
      '#denied': 'deniedReads',
      '#firstTime': 'firstTime',
      '#lastTime': 'lastTime',
      '#expires': TTL_ATTRIBUTE,
      '#firstSource': 'firstSource',
      '#lastSource': 'lastSource',
      '#firstAgent': 'firstAgent',
      '#lastAgent': 'lastAgent',
    });
    expect(count.Update.ExpressionAttributeValues).toEqual({
      ':one': { N: '1' },
      ':denied': { N: '0' },
      ':time': { S: '2026-11-21T10:00:00Z' },
      ':expires': { N: String(EXPIRES) },
      ':source': { S: '198.51.100.7' },
      ':agent': { S: 'aws-cli/2.17.0' },
    });
  });

  it('counts a denied read as one of each, and names no source or agent the read did not have', async () => {
    const { store, sent } = storeWith();
    await store.count({ ...read, denied: true, source: undefined, userAgent: undefined, timeMs: TIME + 1234 }, RANGE, EXPIRES);
    const update = sent[0].input.TransactItems[1].Update;
    expect(update.UpdateExpression).toBe('ADD #reads :one, #denied :denied SET #firstTime = if_not_exists(#firstTime, :time), #lastTime = :time, #expires = :expires');
    expect(Object.keys(update.ExpressionAttributeNames).sort()).toEqual(['#denied', '#expires', '#firstTime', '#lastTime', '#reads']);
    expect(update.ExpressionAttributeValues[':denied']).toEqual({ N: '1' });
    expect(update.ExpressionAttributeValues[':time']).toEqual({ S: '2026-11-21T10:00:01.234Z' });
    expect(Object.keys(update.ExpressionAttributeValues).sort()).toEqual([':denied', ':expires', ':one', ':time']);
  });

  it('keeps the event marker at least until the read time itself (a read from the future outlives the window)', async () => {
    const { store, sent } = storeWith();
    await store.count({ ...read, timeMs: (EXPIRES + 10) * 1000 + 1 }, RANGE, EXPIRES);
    expect(sent[0].input.TransactItems[0].Put.Item[TTL_ATTRIBUTE]).toEqual({ N: String(EXPIRES + 11) });
  });

  it('reads the slots of the range back consistently, page by page, and gives them as counts', async () => {
    const pk = { S: keys.reads(read.principal, read.bucket) };
    const { store, sent } = storeWith({
      Query: [
        {
          Items: [
            {
              pk,
              sk: { N: '2947199' },
              reads: { N: '7' },
              deniedReads: { N: '2' },
              firstTime: { S: '2026-11-21T09:59:00Z' },
              lastTime: { S: '2026-11-21T09:59:40Z' },
              firstSource: { S: '198.51.100.7' },
              lastSource: { S: '198.51.100.8' },
              firstAgent: { S: 'rclone' },
              lastAgent: { S: 'rclone' },
            },
          ],
          LastEvaluatedKey: { pk, sk: { N: '2947199' } },
        },
        { Items: [{ pk, sk: { N: '2947200' } }] },
        { Items: [{ pk, sk: { N: '2947201' }, reads: { N: '1' } }] },
      ],
    });
    const slots = await store.count(read, RANGE, EXPIRES);
    const queries = sent.filter((command) => command.name === 'Query');
    expect(queries).toHaveLength(2);
    expect(queries[0].input).toEqual({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': pk, ':from': { N: String(RANGE.from) }, ':to': { N: String(RANGE.to) } },
      ConsistentRead: true,
      ExclusiveStartKey: undefined,
    });
    expect(queries[1].input.ExclusiveStartKey).toEqual({ pk, sk: { N: '2947199' } });
    expect(slots).toStrictEqual([
      {
        slot: 2947199,
        reads: 7,
        deniedReads: 2,
        firstTime: '2026-11-21T09:59:00Z',
        lastTime: '2026-11-21T09:59:40Z',
        sources: ['198.51.100.7', '198.51.100.8'],
        userAgents: ['rclone'],
      },
      { slot: 2947200, reads: 0, deniedReads: 0, sources: [], userAgents: [] },
    ]);
  });

  it('answers a retried event from the table without counting it again', async () => {
    const { store, sent } = storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')] });
    await expect(store.count(read, RANGE, EXPIRES)).resolves.toEqual([]);
    expect(sent.map((command) => command.name)).toEqual(['TransactWriteItems', 'Query']);
  });

  it.each([
    ['the count could not be written', cancelled('None', 'ConditionalCheckFailed')],
    ['the marker failed for another reason', cancelled('TransactionConflict', 'None')],
    ['the marker existed but the count failed too', cancelled('ConditionalCheckFailed', 'ThrottlingError')],
    ['a cancellation without reasons', Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException' })],
    ['the table is unreachable', Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' })],
  ])('fails the event when %s', async (_, error) => {
    const { store, sent } = storeWith({ TransactWriteItems: [error] });
    await expect(store.count(read, RANGE, EXPIRES)).rejects.toBe(error);
    expect(sent.map((command) => command.name)).toEqual(['TransactWriteItems']);
  });

  it('accepts reasons DynamoDB leaves without a code for the items that did not fail', async () => {
    const { store } = storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', undefined)] });
    await expect(store.count(read, RANGE, EXPIRES)).resolves.toEqual([]);
  });

  it('declares the key the table is created with', () => {
    expect(TABLE_KEY_SCHEMA).toEqual({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
    });
  });
});

describe('mass download: the DynamoDB store, opening an incident', () => {
  const finding = { id: 'md-0a1b', rule: 'mass-download', what: { bucket: read.bucket } } as unknown as Finding;
  const claim: IncidentClaim = {
    principal: read.principal,
    bucket: read.bucket,
    window: { startSlot: 2_947_191, endSlot: 2_947_200, reads: 120, deniedReads: 0 },
    eventId: 'event-1',
    finding,
    expiresAt: EXPIRES,
  };
  const incident = (eventId: string, findingId = 'md-0a1b') => ({ Item: { endSlot: { N: '2947200' }, eventId: { S: eventId }, findingId: { S: findingId } } });

  it('opens it only if no incident is known or the last one ended before this window, with the finding unpublished', async () => {
    const { store, sent } = storeWith();
    await expect(store.claim(claim)).resolves.toEqual({ kind: 'opened' });
    const [opening, record] = sent[0].input.TransactItems;
    expect(opening.Put).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: keys.incident(read.principal, read.bucket) },
        sk: { N: '0' },
        startSlot: { N: '2947191' },
        endSlot: { N: '2947200' },
        eventId: { S: 'event-1' },
        findingId: { S: 'md-0a1b' },
        [TTL_ATTRIBUTE]: { N: String(EXPIRES) },
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR #endSlot < :start',
      ExpressionAttributeNames: { '#pk': 'pk', '#endSlot': 'endSlot' },
      ExpressionAttributeValues: { ':start': { N: '2947191' } },
    });
    expect(record.Put).toEqual({
      TableName: TABLE,
      Item: {
        pk: { S: 'finding|md-0a1b' },
        sk: { N: '0' },
        finding: { S: JSON.stringify(finding) },
        principal: { S: read.principal },
        bucket: { S: read.bucket },
        eventId: { S: 'event-1' },
        published: { BOOL: false },
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk' },
    });
    // The finding is kept as the record of the cut-off's approval: no expiry.
    expect(record.Put.Item[TTL_ATTRIBUTE]).toBeUndefined();
  });

  it("is covered by another event's incident, reading it consistently", async () => {
    const { store, sent } = storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')], GetItem: [incident('event-0')] });
    await expect(store.claim(claim)).resolves.toEqual({ kind: 'covered', endSlot: 2947200 });
    expect(sent[1].input).toEqual({ TableName: TABLE, Key: { pk: { S: keys.incident(read.principal, read.bucket) }, sk: { N: '0' } }, ConsistentRead: true });
    expect(sent).toHaveLength(2);
  });

  it('gives a retry of the opening event the stored finding while it is unpublished, and covers it once published', async () => {
    const stored = { ...finding, what: { bucket: read.bucket, eventId: 'event-1' } };
    const unpublished = storeWith({
      TransactWriteItems: [cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed')],
      GetItem: [incident('event-1'), { Item: { finding: { S: JSON.stringify(stored) }, published: { BOOL: false } } }],
    });
    await expect(unpublished.store.claim(claim)).resolves.toEqual({ kind: 'unpublished', finding: stored });
    expect(unpublished.sent[2].input).toEqual({ TableName: TABLE, Key: { pk: { S: 'finding|md-0a1b' }, sk: { N: '0' } }, ConsistentRead: true });

    const published = storeWith({
      TransactWriteItems: [cancelled('None', 'ConditionalCheckFailed')],
      GetItem: [incident('event-1'), { Item: { finding: { S: JSON.stringify(stored) }, published: { BOOL: true } } }],
    });
    await expect(published.store.claim(claim)).resolves.toEqual({ kind: 'covered', endSlot: 2947200 });

    const lost = storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')], GetItem: [incident('event-1'), {}] });
    await expect(lost.store.claim(claim)).resolves.toEqual({ kind: 'covered', endSlot: 2947200 });

    const withoutText = storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')], GetItem: [incident('event-1'), { Item: { published: { BOOL: false } } }] });
    await expect(withoutText.store.claim(claim)).resolves.toEqual({ kind: 'covered', endSlot: 2947200 });
  });

  it('does not look up a finding for an incident without one', async () => {
    const { store, sent } = storeWith({
      TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')],
      GetItem: [{ Item: { endSlot: { N: '2947200' }, eventId: { S: 'event-1' } } }],
    });
    await expect(store.claim(claim)).resolves.toEqual({ kind: 'covered', endSlot: 2947200 });
    expect(sent).toHaveLength(2);
  });

  it('fails when the incident the condition found is gone, or the transaction failed for another reason', async () => {
    await expect(storeWith({ TransactWriteItems: [cancelled('ConditionalCheckFailed', 'None')], GetItem: [{}] }).store.claim(claim)).rejects.toThrow(
      `no incident for ${read.principal} and ${read.bucket} although the condition failed`,
    );
    const conflict = cancelled('TransactionConflict', 'None');
    await expect(storeWith({ TransactWriteItems: [conflict] }).store.claim(claim)).rejects.toBe(conflict);
  });
});

describe('mass download: the DynamoDB store, recording a publication', () => {
  it('marks the finding published, only if it was recorded', async () => {
    const { store, sent } = storeWith();
    await store.published('md-0a1b');
    expect(sent[0].name).toBe('UpdateItem');
    expect(sent[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'finding|md-0a1b' }, sk: { N: '0' } },
      UpdateExpression: 'SET #published = :true',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#pk': 'pk', '#published': 'published' },
      ExpressionAttributeValues: { ':true': { BOOL: true } },
    });
  });

  it('names every item by kind, principal and bucket', () => {
    expect(keys.reads('p', 'b')).toBe('read|p|b');
    expect(keys.event('e', 'b')).toBe('event|e|b');
    expect(keys.incident('p', 'b')).toBe('incident|p|b');
    expect(keys.finding('f')).toBe('finding|f');
  });
});
