import { untrustedReason } from '../../functions/detector/trust';
import { WORKLOAD_ACCOUNT } from './records';

/* The trust decision on its own, given a record of the wrong shape (the handler checks the shape first). */

describe('the trust decision', () => {
  it('does not read an event source that is not a string, even one that would print as a service', () => {
    const organization = new Set([WORKLOAD_ACCOUNT]);
    const envelope = { source: 'aws.s3', account: WORKLOAD_ACCOUNT };
    expect(untrustedReason(envelope, { eventSource: ['s3.amazonaws.com'], recipientAccountId: WORKLOAD_ACCOUNT }, organization)).toBe(
      'source "aws.s3" does not match eventSource ["s3.amazonaws.com"]',
    );
  });
});
