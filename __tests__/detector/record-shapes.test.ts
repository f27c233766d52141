import { assertCloudTrailRecord, MalformedEventError } from '../../functions/detector/cloudtrail';
import { identities, objectRead } from './records';

/* Records CloudTrail writes without some parts: accepted, and when another field is wrong, that field is named. */

function reasonOf(value: Record<string, unknown>): string {
  try {
    assertCloudTrailRecord(value);
    return 'accepted';
  } catch (error) {
    if (error instanceof MalformedEventError) return error.reason;
    throw error;
  }
}

describe('records without optional parts', () => {
  const { requestParameters: _, ...withoutParameters } = objectRead(identities.iamUser);
  const badResources = { resources: 'arn:aws:s3:::b/k' };

  it('are accepted without request parameters', () => {
    expect(reasonOf(withoutParameters)).toBe('accepted');
  });

  it('name the wrong field, not the missing parts before it', () => {
    expect(reasonOf({ ...withoutParameters, ...badResources })).toBe('"resources" is a string, expected an array');
    expect(reasonOf({ ...withoutParameters, requestParameters: null, ...badResources })).toBe('"resources" is a string, expected an array');
    const session = { ...identities.iamUser, type: 'AssumedRole', sessionContext: {} };
    expect(reasonOf({ ...objectRead(session), ...badResources })).toBe('"resources" is a string, expected an array');
    const dynamo = { ...objectRead(identities.iamUser), eventSource: 'dynamodb.amazonaws.com', eventName: 'GetItem', requestParameters: { key: { id: 1 } }, ...badResources };
    expect(reasonOf(dynamo)).toBe('"resources" is a string, expected an array');
  });
});
