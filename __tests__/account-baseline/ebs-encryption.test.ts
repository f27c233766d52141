import { ebsKeyForRegion } from '../../lib/account-baseline/ebs-encryption';

describe('the EBS default key of a region', () => {
  const single = 'arn:aws:kms:eu-west-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const multi = 'arn:aws:kms:eu-west-1:444444444444:key/mrk-1234abcd12ab34cd56ef1234567890ab';

  it('is the configured key in its own region', () => {
    expect(ebsKeyForRegion(single, 'eu-west-1')).toBe(single);
  });

  it('is the AWS-managed key (none set) elsewhere for a single-Region key', () => {
    expect(ebsKeyForRegion(single, 'us-east-1')).toBeUndefined();
  });

  it('is the replica of a multi-Region key in every other region', () => {
    expect(ebsKeyForRegion(multi, 'us-east-1')).toBe('arn:aws:kms:us-east-1:444444444444:key/mrk-1234abcd12ab34cd56ef1234567890ab');
  });

  it('is the AWS-managed key when none is configured', () => {
    expect(ebsKeyForRegion(undefined, 'eu-west-1')).toBeUndefined();
  });
});
