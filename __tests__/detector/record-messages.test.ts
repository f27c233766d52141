import { assertCloudTrailRecord, MalformedEventError } from '../../functions/detector/cloudtrail';
import { identities, objectRead } from './records';

/* The reasons a record is refused at the boundary, word for word: they are what replay lists and the Lambda logs. */

function reasonOf(value: unknown): MalformedEventError {
  try {
    assertCloudTrailRecord(value);
  } catch (error) {
    if (error instanceof MalformedEventError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('malformed records', () => {
  it.each<[string, unknown, string]>([
    ['null', null, 'expected a CloudTrail record object, got null'],
    ['an array', [], 'expected a CloudTrail record object, got an array'],
    ['a string', 'record', 'expected a CloudTrail record object, got a string'],
    ['nothing', undefined, 'expected a CloudTrail record object, got missing'],
  ])('refuses %s as a record', (_, value, reason) => {
    expect(reasonOf(value)).toMatchObject({ reason, eventId: undefined, message: `malformed event: ${reason}`, name: 'MalformedEventError' });
  });

  it('names a required field that is missing, empty or of another type, with the event id when there is one', () => {
    const record = objectRead(identities.iamUser);
    const { eventName: _, ...missing } = record;
    expect(reasonOf(missing)).toMatchObject({ reason: 'missing or empty "eventName"', eventId: record.eventID, message: `malformed event ${String(record.eventID)}: missing or empty "eventName"` });
    expect(reasonOf({ ...record, eventSource: '' }).reason).toBe('missing or empty "eventSource"');
    expect(reasonOf({ ...record, eventTime: 7 }).reason).toBe('"eventTime" is a number, expected a string');
    expect(reasonOf({ ...record, eventID: 7 })).toMatchObject({ reason: '"eventID" is a number, expected a string', eventId: undefined });
    expect(reasonOf({ ...record, eventID: '' })).toMatchObject({ reason: 'missing or empty "eventID"', eventId: '' });
  });

  it('names a missing userIdentity', () => {
    const { userIdentity: _, ...record } = objectRead(identities.iamUser);
    expect(reasonOf(record).reason).toBe('missing "userIdentity"');
    expect(reasonOf({ ...record, userIdentity: null }).reason).toBe('"userIdentity" is null, expected an object');
    expect(reasonOf({ ...record, userIdentity: [] }).reason).toBe('"userIdentity" is an array, expected an object');
  });

  it('checks S3 request parameters of Object Lambda events too', () => {
    const record = objectRead(identities.iamUser, {}, { eventSource: 's3-object-lambda.amazonaws.com', requestParameters: { key: 7 } });
    expect(reasonOf(record).reason).toBe('"requestParameters.key" is a number, expected a string');
  });

  it('names a resource that is not an object by its index', () => {
    const record = objectRead(identities.iamUser, {}, { resources: [{ type: 'AWS::S3::Object' }, 'arn:aws:s3:::b/k'] });
    expect(reasonOf(record).reason).toBe('"resources[1]" is a string, expected an object');
  });
});
