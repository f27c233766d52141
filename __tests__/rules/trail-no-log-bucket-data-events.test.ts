import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import type { TerraformStack } from 'cdktf';
import { buildBaselineApp } from '../../lib/app';
import { BaselineNames } from '../../lib/naming';
import { evaluatePolicyRules } from '../../lib/rules';
import TrailNoLogBucketDataEvents from '../../lib/rules/cloudtrail/TrailNoLogBucketDataEvents';
import { configWith, exampleConfig } from '../helpers';
import { findingsOf, synthError } from './fixture';

const RULE = TrailNoLogBucketDataEvents.id;
const s3Objects = (arn?: Record<string, string[]>): CloudtrailAdvancedEventSelector => ({
  name: 'S3 objects',
  fieldSelector: [
    { field: 'eventCategory', equalTo: ['Data'] },
    { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
    ...(arn ? [{ field: 'resources.ARN', ...arn }] : []),
  ],
});
const trailWith = (selector: CloudtrailAdvancedEventSelector) => (stack: TerraformStack) => {
  new Cloudtrail(stack, 'Trail', { name: 'org', s3BucketName: 'acme-logs', advancedEventSelector: [selector] });
};
const verdict = (build: (stack: TerraformStack) => void) => findingsOf(build).find((finding) => finding.ruleId === RULE);

describe('CloudTrail.NoLogBucketDataEvents', () => {
  it('fails the synth of a trail selecting data events on the bucket it delivers to', () => {
    const error = synthError(trailWith(s3Objects({ startsWith: ['arn:aws:s3:::customer-records/', 'arn:aws:s3:::acme-logs/'] })));
    expect(error).toMatch(/\[CloudTrail\.NoLogBucketDataEvents\].*records S3 data events on acme-logs, where the trail delivers/);
  });

  it('fails a selector on every bucket that does not leave the log bucket out', () => {
    expect(verdict(trailWith(s3Objects()))?.status).toBe('fail');
    expect(verdict(trailWith(s3Objects({ startsWith: ['arn:aws:s3:::acme-'] })))?.status).toBe('fail');
  });

  it('passes a selector on every bucket but the log bucket, and one scoped to other buckets', () => {
    expect(verdict(trailWith(s3Objects({ notStartsWith: ['arn:aws:s3:::acme-logs/'] })))?.status).toBe('pass');
    // "acme-logs-archive/" is another bucket: the trailing slash keeps prefixes apart.
    expect(verdict(trailWith(s3Objects({ startsWith: ['arn:aws:s3:::acme-logs-archive/'] })))?.status).toBe('pass');
  });

  it('also protects the access-log bucket of the delivery bucket', () => {
    const build = (stack: TerraformStack) => {
      trailWith(s3Objects({ notStartsWith: ['arn:aws:s3:::acme-logs/'] }))(stack);
      new S3BucketLoggingA(stack, 'Logging', { bucket: 'acme-logs', targetBucket: 'acme-access-logs', targetPrefix: 'logs/' });
    };
    expect(verdict(build)).toMatchObject({ status: 'fail', problems: [expect.stringContaining('on acme-access-logs')] });
  });

  it('fails a basic event selector on all S3 objects', () => {
    const build = (stack: TerraformStack) => {
      new Cloudtrail(stack, 'Trail', {
        name: 'org',
        s3BucketName: 'acme-logs',
        eventSelector: [{ readWriteType: 'All', dataResource: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }],
      });
    };
    expect(verdict(build)?.status).toBe('fail');
  });

  it('holds for the organization trail of the example', () => {
    const app = buildBaselineApp(exampleConfig(), { outdir: mkdtempSync(path.join(os.tmpdir(), 'baseline-test-')) });
    const findings = evaluatePolicyRules(app.node.findChild('management')).filter((finding) => finding.ruleId === RULE);
    expect(findings.map((finding) => finding.status)).toEqual(['pass']);
  });
});

describe('monitored buckets and the log archive', () => {
  it('rejects a monitored bucket that is one of the log archive buckets, before anything is synthesized', () => {
    const names = new BaselineNames(exampleConfig());
    for (const bucket of [names.logBucketName, names.accessLogBucketName]) {
      expect(() =>
        configWith((input) => {
          input.detector!.monitoredBuckets = [{ name: bucket, account: 'log-archive', region: 'eu-west-1', keyPatterns: ['*'] }];
        }),
      ).toThrow(/detector\.monitoredBuckets\[0\]\.name[\s\S]*not one of the log archive's own buckets/);
    }
  });
});
