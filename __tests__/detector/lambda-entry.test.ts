import * as path from 'node:path';
import type { DetectorSettings } from '../../functions/detector/settings';
import { revocationPolicy } from '../../functions/detector/response';
import { eventBridgeEvent, identities, objectRead, settings as baseSettings, WORKLOAD_ACCOUNT } from './records';
import { PAYROLL_BUCKET, seedScenario, seedSettings } from './seed-scenario';

/*
 * The Lambda entry point (functions/detector/index.ts) with the AWS SDK replaced by recording fakes: what it reads at
 * cold start, which role it assumes for a response, what it sends to SNS and IAM, and how the role's current policy
 * decides a revocation. The built bundle against the AWS emulator is __tests__/detector/emulator.integration.ts.
 */

const SETTINGS_PATH = path.join(__dirname, '..', '..', 'functions', 'detector', 'settings.json');
const TOPIC = `arn:aws:sns:eu-west-1:${WORKLOAD_ACCOUNT}:acme-detector-findings`;
const RESPONSE_ROLE = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/acme-detector-response`;

interface Sent {
  readonly client: string;
  readonly command: string;
  readonly input: Record<string, unknown>;
}

interface World {
  readonly sent: Sent[];
  readonly clients: { name: string; config: Record<string, unknown> }[];
  /** What IAM answers to GetRolePolicy: a document (URL-encoded, as IAM returns it) or an error name. */
  existingPolicy?: { document: string } | { error: string };
  credentials?: Record<string, string>;
  /** Reads the state table holds for the reader in the current slot of its window (none when absent). */
  readsInSlot?: number;
}

/**
 * The world of the test running now. The entry point loads the SNS, STS and IAM modules on first use, after jest's
 * isolated load has returned, so those modules are cached across loads: the fakes read the world when called.
 */
let current: World;

/** An SDK module whose client records every command it sends and answers from the current world. */
function fakeSdk(clientName: string, commands: string[]) {
  const module: Record<string, unknown> = {};
  module[clientName] = class {
    constructor(config: Record<string, unknown>) {
      current.clients.push({ name: clientName, config });
    }
    async send(command: { name: string; input: Record<string, unknown> }) {
      const world = current;
      world.sent.push({ client: clientName, command: command.name, input: command.input });
      if (command.name === 'AssumeRoleCommand') return { Credentials: world.credentials };
      if (command.name === 'QueryCommand' && world.readsInSlot !== undefined) {
        const values = command.input.ExpressionAttributeValues as Record<string, { N: string }>;
        return { Items: [{ sk: values[':to'], reads: { N: String(world.readsInSlot) }, deniedReads: { N: '0' } }] };
      }
      if (command.name === 'GetRolePolicyCommand') {
        const existing = world.existingPolicy;
        if (existing === undefined) return {};
        if ('error' in existing) throw Object.assign(new Error(existing.error), { name: existing.error });
        return { PolicyDocument: existing.document };
      }
      return {};
    }
  };
  for (const name of commands) {
    module[name] = class {
      readonly name = name;
      constructor(readonly input: Record<string, unknown>) {}
    };
  }
  return module;
}

/** Loads index.ts afresh with the given settings.json and environment, and the SDK faked. */
function loadEntry(settings: DetectorSettings, env: Record<string, string | undefined>, world: World) {
  current = world;
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete process.env[name];
  let handler: ((event: unknown) => Promise<unknown>) | undefined;
  try {
    jest.isolateModules(() => {
      const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
      jest.doMock('node:fs', () => ({
        ...fs,
        readFileSync: (file: string, encoding: BufferEncoding) => (file === SETTINGS_PATH ? JSON.stringify(settings) : fs.readFileSync(file, encoding)),
      }));
      jest.doMock('@aws-sdk/client-sns', () => fakeSdk('SNSClient', ['PublishCommand']));
      jest.doMock('@aws-sdk/client-sts', () => fakeSdk('STSClient', ['AssumeRoleCommand']));
      jest.doMock('@aws-sdk/client-iam', () => fakeSdk('IAMClient', ['GetRolePolicyCommand', 'PutRolePolicyCommand']));
      jest.doMock('@aws-sdk/client-dynamodb', () =>
        fakeSdk('DynamoDBClient', ['QueryCommand', 'TransactWriteItemsCommand', 'UpdateItemCommand', 'GetItemCommand', 'PutItemCommand']),
      );
      handler = (require('../../functions/detector/index') as { handler: (event: unknown) => Promise<unknown> }).handler;
    });
  } finally {
    process.env = saved;
  }
  return handler!;
}

function newWorld(): World {
  return { sent: [], clients: [], credentials: { AccessKeyId: 'ASIARESPONSE', SecretAccessKey: 'secret', SessionToken: 'token' } };
}

const enforcing: DetectorSettings = { ...baseSettings, response: 'enforce' };
const ENV = { FINDINGS_TOPIC_ARN: TOPIC, STATE_TABLE_NAME: undefined };
const commandsOf = (world: World) => world.sent.map((sent) => sent.command);

describe('detector Lambda entry point', () => {
  // The entry point logs to standard output, as Lambda collects it.
  beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
  afterEach(() => jest.restoreAllMocks());

  it('refuses to start without a findings topic, or with the mass-download rule and no state table', () => {
    expect(() => loadEntry(baseSettings, { FINDINGS_TOPIC_ARN: undefined }, newWorld())).toThrow('FINDINGS_TOPIC_ARN is not set');
    expect(() => loadEntry(baseSettings, { FINDINGS_TOPIC_ARN: '' }, newWorld())).toThrow('FINDINGS_TOPIC_ARN is not set');
    expect(() => loadEntry(seedSettings, ENV, newWorld())).toThrow('STATE_TABLE_NAME is not set');
  });

  it('refuses settings.json that the detector would misread', () => {
    expect(() => loadEntry({ ...baseSettings, response: 'sometimes' as never }, ENV, newWorld())).toThrow(/response/);
  });

  it('loads the DynamoDB client at cold start only when the mass-download rule counts in a table', () => {
    const off = newWorld();
    loadEntry(baseSettings, { ...ENV, STATE_TABLE_NAME: 'acme-detector-state' }, off);
    expect(off.clients).toEqual([]);
    const on = newWorld();
    loadEntry(seedSettings, { ...ENV, STATE_TABLE_NAME: 'acme-detector-state' }, on);
    expect(on.clients.map((client) => client.name)).toEqual(['DynamoDBClient']);
  });

  it('counts mass-download reads in the named table', async () => {
    const world = newWorld();
    const handler = loadEntry(seedSettings, { ...ENV, STATE_TABLE_NAME: 'acme-detector-state' }, world);
    const read = seedScenario().find((record) => record.eventName === 'GetObject')!;
    await handler(eventBridgeEvent(read)).catch(() => undefined);
    const tableCalls = world.sent.filter((sent) => sent.client === 'DynamoDBClient');
    expect(tableCalls.length).toBeGreaterThan(0);
    expect(tableCalls.every((sent) => JSON.stringify(sent.input).includes('"acme-detector-state"'))).toBe(true);
  });

  it('publishes each finding to the topic with its rule as a message attribute, with one SNS client for the copy', async () => {
    const world = newWorld();
    const handler = loadEntry(baseSettings, ENV, world);
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    await handler(eventBridgeEvent(objectRead(identities.iamUser)));
    const publishes = world.sent.filter((sent) => sent.command === 'PublishCommand');
    expect(publishes).toHaveLength(3);
    expect(publishes[0].input).toMatchObject({
      TopicArn: TOPIC,
      Subject: expect.stringContaining('Sensitive S3 read by acme-web'),
      Message: expect.stringMatching(/"rule": "sensitive-object-access"/),
      MessageAttributes: { rule: { DataType: 'String', StringValue: 'sensitive-object-access' } },
    });
    expect(publishes[1].input.MessageAttributes).toEqual({ rule: { DataType: 'String', StringValue: 'instance-credentials-outside-aws' } });
    expect(world.clients.filter((client) => client.name === 'SNSClient')).toHaveLength(1);
    // The default mode never assumes the response role.
    expect(commandsOf(world)).not.toContain('AssumeRoleCommand');
  });

  it('revokes in enforce mode as the response role of the flagged role account, with its short-lived credentials', async () => {
    const world = newWorld();
    world.existingPolicy = { error: 'NoSuchEntityException' };
    const handler = loadEntry(enforcing, ENV, world);
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    const assume = world.sent.find((sent) => sent.command === 'AssumeRoleCommand')!;
    expect(assume.input).toEqual({ RoleArn: RESPONSE_ROLE, RoleSessionName: 's3-access-detector', DurationSeconds: 900 });
    expect(world.clients.find((client) => client.name === 'IAMClient')!.config).toEqual({
      credentials: { accessKeyId: 'ASIARESPONSE', secretAccessKey: 'secret', sessionToken: 'token' },
    });
    const put = world.sent.find((sent) => sent.command === 'PutRolePolicyCommand')!;
    expect(put.input).toMatchObject({ RoleName: 'acme-web', PolicyName: 'RevokeOlderSessions' });
    expect(JSON.parse(put.input.PolicyDocument as string).Statement[0]).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*' });
    expect(world.sent.find((sent) => sent.command === 'GetRolePolicyCommand')!.input).toEqual({ RoleName: 'acme-web', PolicyName: 'RevokeOlderSessions' });
  });

  it('leaves a revocation that already covers the event in place, reading the URL-encoded document IAM returns', async () => {
    const world = newWorld();
    world.existingPolicy = { document: encodeURIComponent(revocationPolicy('2030-01-01T00:00:00Z')) };
    const handler = loadEntry(enforcing, ENV, world);
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(commandsOf(world)).toContain('GetRolePolicyCommand');
    expect(commandsOf(world)).not.toContain('PutRolePolicyCommand');
    const message = JSON.parse(world.sent.find((sent) => sent.command === 'PublishCommand')!.input.Message as string);
    expect(message.response).toMatchObject({ applied: false });
  });

  it('replaces a policy of that name that is not a revocation it wrote', async () => {
    const world = newWorld();
    world.existingPolicy = { document: encodeURIComponent('{"Version":"2012-10-17","Statement":[]}') };
    const handler = loadEntry(enforcing, ENV, world);
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(commandsOf(world)).toContain('PutRolePolicyCommand');
  });

  it.each([
    ['IAM refuses to read the policy', (world: World) => (world.existingPolicy = { error: 'AccessDenied' }), 'AccessDenied'],
    ['the response role gives no credentials', (world: World) => (world.credentials = { AccessKeyId: 'ASIARESPONSE' }), `no credentials from ${RESPONSE_ROLE}`],
    ['STS answers without any credentials', (world: World) => (world.credentials = undefined), `no credentials from ${RESPONSE_ROLE}`],
  ])('reports the revocation as failed, without writing, when %s', async (_, arrange, error) => {
    const world = newWorld();
    arrange(world);
    const handler = loadEntry(enforcing, ENV, world);
    await handler(eventBridgeEvent(objectRead(identities.instanceRole)));
    expect(commandsOf(world)).not.toContain('PutRolePolicyCommand');
    const message = JSON.parse(world.sent.find((sent) => sent.command === 'PublishCommand')!.input.Message as string);
    expect(message.response).toMatchObject({ applied: false, error: expect.stringContaining(error) });
  });

  it('cuts a mass-downloading role off the bucket in enforce mode, as the response role, with the deny the finding names', async () => {
    const world = newWorld();
    // The table already holds more reads of the payroll bucket by this role than the rule allows in a window.
    world.readsInSlot = 150;
    world.existingPolicy = { error: 'NoSuchEntityException' };
    const handler = loadEntry({ ...seedSettings, response: 'enforce' }, { ...ENV, STATE_TABLE_NAME: 'acme-detector-state' }, world);
    const read = seedScenario().find((record) => record.eventName === 'GetObject' && (record.requestParameters as { bucketName: string }).bucketName === PAYROLL_BUCKET)!;
    await handler(eventBridgeEvent(read));
    const published = world.sent.filter((sent) => sent.command === 'PublishCommand').map((sent) => JSON.parse(sent.input.Message as string));
    const finding = published.find((message) => message.rule === 'mass-download');
    expect(finding.response.cutOff).toMatchObject({ action: 'cut-off-bucket', mode: 'enforce', applied: true, bucket: PAYROLL_BUCKET, roleName: 'acme-reporting' });
    const puts = world.sent.filter((sent) => sent.command === 'PutRolePolicyCommand').map((sent) => sent.input);
    expect(puts).toContainEqual({ RoleName: 'acme-reporting', PolicyName: finding.response.cutOff.policyName, PolicyDocument: finding.response.cutOff.policyDocument });
    expect(finding.response.cutOff.policyName).toMatch(/^S3CutOff-/);
    // Every IAM write is made as the response role of the reader's account.
    expect(new Set(world.sent.filter((sent) => sent.command === 'AssumeRoleCommand').map((sent) => sent.input.RoleArn))).toEqual(new Set([RESPONSE_ROLE]));
  });
});
