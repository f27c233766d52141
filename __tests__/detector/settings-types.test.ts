import { DetectorSettingsError, parseDetectorSettings } from '../../functions/detector/settings';
import { settings } from './records';

/* Settings of the wrong JSON type that would pass a pattern once turned into text. */

describe('detector settings of the wrong type', () => {
  const problems = (overrides: Record<string, unknown>) => {
    try {
      parseDetectorSettings({ ...JSON.parse(JSON.stringify(settings)), ...overrides });
      return [];
    } catch (error) {
      return (error as DetectorSettingsError).problems;
    }
  };

  it('refuse a number where a role or bucket name is expected, even one that reads as a name', () => {
    expect(problems({ responseRoleName: 7 })).toEqual(['settings.responseRoleName: 7: expected an IAM role name']);
    expect(problems({ monitoredBuckets: [{ name: 123, keyPatterns: ['*'] }] })).toEqual(['settings.monitoredBuckets[0].name: 123: expected an S3 bucket name']);
  });

  it('leave the mass-download settings out when there are none', () => {
    expect(parseDetectorSettings(JSON.parse(JSON.stringify(settings)))).not.toHaveProperty('massDownload');
  });
});
