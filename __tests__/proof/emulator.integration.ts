import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMULATOR_VENV, startEmulator, tailOfFile, type Emulator } from '../../tools/proof/emulator';

/*
 * The rehearsal runs terraform with spawnSync, which blocks the event loop for minutes. moto's server logs a line per
 * request; it must keep answering however many requests arrive while nothing in this process reads its output.
 */

// Python from the emulator's environment: a client with a short timeout, so a stalled server fails the test quickly.
const CLIENT = `
import sys, http.client
port, count = int(sys.argv[1]), int(sys.argv[2])
for _ in range(count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/moto-api/")
    connection.getresponse().read()
    connection.close()
print(count)
`;

describe("the rehearsal's emulator", () => {
  let dir: string;
  let emulator: Emulator;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-emulator-'));
    emulator = await startEmulator(path.join(dir, 'moto.log'));
  });

  afterAll(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('keeps answering while the event loop is blocked (its log goes to a file, not a pipe nobody drains)', () => {
    const port = new URL(emulator.endpoint).port;
    // Far more log lines than a socket buffer holds: a server writing its log to an undrained pipe stops after ~2,000.
    const result = spawnSync(path.join(EMULATOR_VENV, 'bin', 'python'), ['-c', CLIENT, port, '6000'], { encoding: 'utf8', timeout: 55_000 });

    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('6000');
    expect(tailOfFile(emulator.logFile, 200)).toContain('GET /moto-api/');
  });

  test('holds the AWS managed policies every AWS account has (the account baseline attaches AWSSupportAccess)', () => {
    const attach = `
import sys, boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
iam.create_role(RoleName="support", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')
iam.attach_role_policy(RoleName="support", PolicyArn="arn:aws:iam::aws:policy/AWSSupportAccess")
print(iam.list_attached_role_policies(RoleName="support")["AttachedPolicies"][0]["PolicyName"])
`;
    const result = spawnSync(path.join(EMULATOR_VENV, 'bin', 'python'), ['-c', attach, emulator.endpoint], { encoding: 'utf8', timeout: 55_000 });

    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('AWSSupportAccess');
  });

  test("reaches S3 Control's <account>.127.0.0.1 host names through its proxy, as the account baseline's public access block does", () => {
    const control = `
import sys, boto3
s3control = boto3.client("s3control", endpoint_url=sys.argv[1], region_name="eu-west-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3control.put_public_access_block(AccountId="123456789012", PublicAccessBlockConfiguration={"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
print(s3control.get_public_access_block(AccountId="123456789012")["PublicAccessBlockConfiguration"]["BlockPublicPolicy"])
`;
    const { HTTP_PROXY: _http, http_proxy: _lower, ...withoutProxy } = process.env;
    const run = (proxy: string | undefined) =>
      spawnSync(path.join(EMULATOR_VENV, 'bin', 'python'), ['-c', control, emulator.endpoint], {
        encoding: 'utf8',
        timeout: 55_000,
        env: { ...withoutProxy, ...(proxy ? { HTTP_PROXY: proxy } : {}), AWS_MAX_ATTEMPTS: '1' },
      });

    expect(run(undefined).status).not.toBe(0); // 123456789012.127.0.0.1 does not resolve
    const result = run(emulator.proxy);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('True');
  });
});
