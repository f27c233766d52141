import { BucketResolver } from '../../functions/detector/s3-object';
import { WORKLOAD_ACCOUNT } from './records';

/*
 * The table of access points the detector maps to their buckets is also what the Athena hunts are compiled from: it
 * must hold every listed access point (and the alias of each multi-Region one), lower-cased, with its bucket, in an
 * order that does not depend on how the configuration happens to list them, so that the same configuration always
 * compiles to the same hunt.
 */

const ACCESS_POINT = `arn:aws:s3:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-api`;
const ALIAS = 'records-api-hrzrlukc5m36ft7okagglf3gmwluquse1b-s3alias';
const MRAP = `arn:aws:s3::${WORKLOAD_ACCOUNT}:accesspoint/mfzwi23gnjvgw.mrap`;
const OBJECT_LAMBDA = `arn:aws:s3-object-lambda:eu-west-1:${WORKLOAD_ACCOUNT}:accesspoint/records-redacted`;
const BILLING_ALIAS = 'billing-exports-p3k9zq1c8h7w2m5x4v6b0n3jdlrquse1a-s3alias';

const SORTED: ReadonlyArray<readonly [string, string]> = [
  [OBJECT_LAMBDA, 'acme-customer-records'],
  [MRAP, 'acme-customer-records'],
  [ACCESS_POINT, 'acme-customer-records'],
  [BILLING_ALIAS, 'acme-billing'],
  ['mfzwi23gnjvgw.mrap', 'acme-customer-records'],
  [ALIAS, 'acme-customer-records'],
];

describe('the table of access points the hunts are compiled from', () => {
  it('lists every access point, lower-cased, with its bucket, sorted by access point', () => {
    // The configuration lists them in reverse order, one in upper case.
    const resolver = new BucketResolver([
      { name: 'acme-customer-records', accessPoints: [ALIAS, OBJECT_LAMBDA, MRAP, ACCESS_POINT.toUpperCase()] },
      { name: 'acme-billing', accessPoints: [BILLING_ALIAS] },
      { name: 'acme-plain' },
    ]);
    expect(resolver.accessPoints).toEqual(SORTED);
  });

  it('is the same whatever order the configuration lists the buckets and their access points in', () => {
    const orders = [
      [
        { name: 'acme-billing', accessPoints: [BILLING_ALIAS] },
        { name: 'acme-customer-records', accessPoints: [ACCESS_POINT, MRAP, OBJECT_LAMBDA, ALIAS] },
      ],
      [
        { name: 'acme-customer-records', accessPoints: [OBJECT_LAMBDA, ALIAS, ACCESS_POINT, MRAP] },
        { name: 'acme-billing', accessPoints: [BILLING_ALIAS] },
      ],
      [
        { name: 'acme-customer-records', accessPoints: [MRAP, ALIAS, ACCESS_POINT, OBJECT_LAMBDA] },
        { name: 'acme-billing', accessPoints: [BILLING_ALIAS] },
      ],
    ];
    for (const buckets of orders) expect(new BucketResolver(buckets).accessPoints).toEqual(SORTED);
  });

  it('is empty when no monitored bucket lists an access point', () => {
    expect(new BucketResolver([{ name: 'acme-plain' }]).accessPoints).toEqual([]);
  });
});
