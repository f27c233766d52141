import { closeSync, mkdirSync, openSync, writeSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { syntheticRecords } from './detector';

/*
 * An AWSLogs/ tree as the log archive holds it, generated on the fly for the replay memory figure: one CloudTrail log
 * file of about `bytes` bytes of authorized S3 traffic (nothing fires, so replay exits 0), beside an hourly digest
 * file of log file validation and a CloudTrail Insights file, which replay must recognize and skip.
 */

const ACCOUNT = '444444444444';

/** Writes the tree under `root` and returns the path of its large log file. */
export function writeLogTree(root: string, bytes: number): string {
  const day = path.join(root, 'AWSLogs', ACCOUNT);
  const trail = path.join(day, 'CloudTrail', 'eu-west-1', '2026', '11', '21');
  const digests = path.join(day, 'CloudTrail-Digest', 'eu-west-1', '2026', '11', '21');
  const insights = path.join(day, 'CloudTrail-Insight', 'eu-west-1', '2026', '11', '21');
  for (const dir of [trail, digests, insights]) mkdirSync(dir, { recursive: true });

  // Authorized traffic only: every twentieth synthetic record is an attack, left out here.
  const texts = syntheticRecords(2000)
    .filter((_, index) => index % 20 !== 19)
    .map((record) => JSON.stringify(record));
  const file = path.join(trail, `${ACCOUNT}_CloudTrail_eu-west-1_20261121T1000Z_bench.json`);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, '{"Records":[');
    let written = 12;
    let index = 0;
    let batch: string[] = [];
    while (written < bytes) {
      const text = texts[index % texts.length];
      batch.push(index === 0 ? text : `,${text}`);
      written += text.length + 1;
      index++;
      if (batch.length === 4096) {
        writeSync(fd, batch.join(''));
        batch = [];
      }
    }
    writeSync(fd, `${batch.join('')}]}`);
  } finally {
    closeSync(fd);
  }

  writeFileSync(
    path.join(digests, `${ACCOUNT}_CloudTrail-Digest_eu-west-1_bench_eu-west-1_20261121T110000Z.json.gz`),
    gzipSync(
      JSON.stringify({
        awsAccountId: ACCOUNT,
        digestStartTime: '2026-11-21T10:00:00Z',
        digestEndTime: '2026-11-21T11:00:00Z',
        digestS3Bucket: 'acme-log-archive',
        digestS3Object: 'AWSLogs/444444444444/CloudTrail-Digest/eu-west-1/2026/11/21/digest.json.gz',
        digestPublicKeyFingerprint: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
        digestSignatureAlgorithm: 'SHA256withRSA',
        newestEventTime: '2026-11-21T10:59:59Z',
        oldestEventTime: '2026-11-21T10:00:00Z',
        logFiles: [{ s3Bucket: 'acme-log-archive', s3Object: path.basename(file), hashValue: '00', hashAlgorithm: 'SHA-256' }],
      }),
    ),
  );
  writeFileSync(
    path.join(insights, `${ACCOUNT}_CloudTrail-Insight_eu-west-1_20261121T1000Z_bench.json.gz`),
    gzipSync(
      JSON.stringify({
        Records: [
          {
            eventVersion: '1.08',
            eventTime: '2026-11-21T10:00:00Z',
            awsRegion: 'eu-west-1',
            eventID: 'a9edc959-9488-4790-be0f-05d60e56b547',
            eventType: 'AwsCloudTrailInsight',
            recipientAccountId: ACCOUNT,
            sharedEventID: '12edc982-3348-4794-83d3-a3db26525049',
            insightDetails: { state: 'Start', eventSource: 's3.amazonaws.com', eventName: 'GetObject', insightType: 'ApiCallRateInsight' },
            eventCategory: 'Insight',
          },
        ],
      }),
    ),
  );
  return file;
}
