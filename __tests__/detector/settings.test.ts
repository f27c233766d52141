import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { detectorSettingsFrom } from '../../lib/detector/settings';
import { configWith } from '../helpers';
import { settings } from './records';

describe('detector settings', () => {
  it('accepts valid settings and returns them unchanged', () => {
    expect(parseDetectorSettings(JSON.parse(JSON.stringify(settings)))).toEqual(settings);
  });

  it('reports every problem with its path, value and expectation', () => {
    const bad = {
      ...settings,
      monitoredBuckets: [{ name: 'Bad_Bucket', keyPatterns: [] }],
      authorizedCidrs: ['203.0.113.0/33', '10.0.0.0/8'],
      authorizedVpcEndpoints: ['vpc-123'],
      rules: { sensitiveObjectAccess: 'yes', instanceCredentialsOutsideAws: true, bucketEnumeration: true, vpcEndpointAccess: true },
      response: 'block',
      extra: 1,
    };
    let error: DetectorSettingsError | undefined;
    try {
      parseDetectorSettings(bad);
    } catch (caught) {
      error = caught as DetectorSettingsError;
    }
    expect(error).toBeInstanceOf(DetectorSettingsError);
    expect(error!.problems).toEqual([
      'settings.extra: 1: expected one of monitoredBuckets, authorizedCidrs, authorizedVpcEndpoints, authorizedServices, authorizedPrincipals, enumerationPrincipals, rules, response, responseRoleName, drill, organizationAccountIds, protectedRoles, responseAccountIds, massDownload',
      'settings.monitoredBuckets[0].name: "Bad_Bucket": expected an S3 bucket name',
      'settings.monitoredBuckets[0].keyPatterns: []: expected a non-empty array of globs or "keyword:<word>"',
      'settings.authorizedCidrs[0]: "203.0.113.0/33": expected an IPv4 or IPv6 CIDR such as "203.0.113.0/24" or "2001:db8::/32"',
      'settings.authorizedVpcEndpoints[0]: "vpc-123": expected a VPC endpoint id such as "vpce-0abc1234"',
      'settings.rules.sensitiveObjectAccess: "yes": expected true or false',
      'settings.response: "block": expected one of "off", "dry-run", "enforce"',
    ]);
  });

  it('rejects what is not an object', () => {
    expect(() => parseDetectorSettings(null)).toThrow('settings: null: expected a JSON object');
    expect(() => parseDetectorSettings({})).toThrow('settings.monitoredBuckets: missing: expected an array');
  });

  it('derives sorted, deduplicated settings from the configuration', () => {
    const config = configWith((draft) => {
      draft.detector = { ...draft.detector, authorizedCidrs: ['203.0.113.0/24', '10.0.0.0/8', '10.0.0.0/8'], response: 'dry-run' };
    });
    const derived = detectorSettingsFrom(config);
    expect(derived.authorizedCidrs).toEqual(['10.0.0.0/8', '203.0.113.0/24']);
    expect(derived.response).toBe('dry-run');
    expect(derived.responseRoleName).toBe(`${config.prefix}-detector-response`);
    expect(parseDetectorSettings(derived)).toEqual(derived);
  });
});
