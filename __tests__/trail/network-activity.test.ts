import { parseConfig } from '../../config/load';
import { networkActivitySelectors } from '../../lib/trail/network-activity-selectors';
import { exampleInput, problemsWith, rejectionsWith } from '../config/example-input';

/* The trail's network activity selectors, and the configuration that shapes them. */

const selectorsOf = (change: (input: Record<string, any>) => void = () => {}) => {
  const input = exampleInput() as Record<string, any>;
  change(input);
  return networkActivitySelectors(parseConfig(input));
};
const fields = (selector: { fieldSelector: unknown }) => JSON.parse(JSON.stringify(selector.fieldSelector));

describe('network activity selectors', () => {
  it('select, by default, VPC endpoint policy denials of the data perimeter services (S3, KMS), one selector per event source', () => {
    const selectors = selectorsOf();
    expect(selectors.map((selector) => selector.name)).toEqual([
      'VPC endpoint policy denials of kms.amazonaws.com',
      'VPC endpoint policy denials of s3.amazonaws.com',
    ]);
    expect(fields(selectors[1])).toEqual([
      { field: 'eventCategory', equalTo: ['NetworkActivity'] },
      { field: 'eventSource', equalTo: ['s3.amazonaws.com'] },
      { field: 'errorCode', equalTo: ['VpceAccessDenied'] },
    ]);
  });

  it('select every call through the endpoints when allEvents is asked for, and only for the listed services', () => {
    const selectors = selectorsOf((input) => {
      input.trail = { networkActivityEvents: { allEvents: true, eventSources: ['secretsmanager.amazonaws.com', 's3.amazonaws.com'] } };
    });
    expect(selectors.map((selector) => selector.name)).toEqual(['Network activity of s3.amazonaws.com', 'Network activity of secretsmanager.amazonaws.com']);
    for (const selector of selectors) expect(JSON.stringify(selector)).not.toContain('errorCode');
  });

  it('select nothing when turned off (with the detector rule that reads them)', () => {
    expect(
      selectorsOf((input) => {
        input.trail = { networkActivityEvents: { enabled: false } };
        input.detector.rules = { vpcEndpointAccess: false };
      }),
    ).toEqual([]);
  });
});

describe('trail.networkActivityEvents in the configuration', () => {
  it('refuses an event source CloudTrail logs no network activity for, naming the path and the sources it knows', () => {
    expect(rejectionsWith((input) => (input.trail = { networkActivityEvents: { eventSources: ['s3.amazonaws.com', 'dynamodb.amazonaws.com'] } }))).toEqual([
      {
        path: ['trail', 'networkActivityEvents', 'eventSources', 1],
        value: 'dynamodb.amazonaws.com',
        expected: expect.stringContaining('expected an event source CloudTrail logs network activity for: cloudtrail.amazonaws.com, ec2.amazonaws.com'),
      },
    ]);
  });

  it('refuses no event source, and one listed twice', () => {
    expect(rejectionsWith((input) => (input.trail = { networkActivityEvents: { eventSources: [] } }))[0]).toMatchObject({
      path: ['trail', 'networkActivityEvents', 'eventSources'],
      expected: expect.stringContaining('set enabled to false'),
    });
    expect(rejectionsWith((input) => (input.trail = { networkActivityEvents: { eventSources: ['kms.amazonaws.com', 'kms.amazonaws.com'] } }))[0]).toMatchObject({
      path: ['trail', 'networkActivityEvents', 'eventSources'],
      expected: 'expected each event source once',
    });
  });

  it('refuses the detector rule on network activity when the trail does not log it', () => {
    expect(rejectionsWith((input) => (input.trail = { networkActivityEvents: { enabled: false } }))).toEqual([
      {
        path: ['detector', 'rules', 'vpcEndpointAccess'],
        value: true,
        expected: expect.stringContaining('expected false when trail.networkActivityEvents.enabled is false'),
      },
    ]);
    expect(
      problemsWith((input) => {
        input.trail = { networkActivityEvents: { enabled: false } };
        input.detector.rules = { vpcEndpointAccess: false };
      }),
    ).toEqual([]);
  });
});
