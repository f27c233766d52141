/*
 * The CloudTrail table as Athena reads the log archive: the columns of AWS's own CloudTrail table definition, each
 * with the CloudTrail record field it holds. One description feeds the Glue table (its Hive types) and the SQL compiler
 * (how a CloudTrail field selector becomes a column expression), so the two cannot disagree.
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 *
 * Hive's JSON SerDe matches record keys to column and struct field names without regard to case, so a column is the
 * record's key in lower case; a `json` column holds the JSON text of an object whose keys vary by API
 * (requestParameters, responseElements, ...), read with json_extract_scalar and the record's own key case.
 */

export type ColumnType =
  | { readonly kind: 'string' }
  | { readonly kind: 'json' }
  | { readonly kind: 'struct'; readonly fields: Readonly<Record<string, ColumnType>> }
  | { readonly kind: 'array'; readonly element: ColumnType };

const string: ColumnType = { kind: 'string' };
const json: ColumnType = { kind: 'json' };
const struct = (fields: Record<string, ColumnType>): ColumnType => ({ kind: 'struct', fields });

/** Columns by the CloudTrail record key they hold (camel case, as in the record), in table order. */
export const CLOUDTRAIL_COLUMNS: Readonly<Record<string, ColumnType>> = {
  eventVersion: string,
  userIdentity: struct({
    type: string,
    principalId: string,
    arn: string,
    accountId: string,
    invokedBy: string,
    accessKeyId: string,
    userName: string,
    onBehalfOf: struct({ userId: string, identityStoreArn: string }),
    sessionContext: struct({
      attributes: struct({ mfaAuthenticated: string, creationDate: string }),
      sessionIssuer: struct({ type: string, principalId: string, arn: string, accountId: string, userName: string }),
      ec2RoleDelivery: string,
      sourceIdentity: string,
    }),
  }),
  eventTime: string,
  eventSource: string,
  eventName: string,
  awsRegion: string,
  sourceIPAddress: string,
  userAgent: string,
  errorCode: string,
  errorMessage: string,
  requestParameters: json,
  responseElements: json,
  additionalEventData: json,
  requestID: string,
  eventID: string,
  readOnly: string,
  resources: { kind: 'array', element: struct({ ARN: string, accountId: string, type: string }) },
  eventType: string,
  apiVersion: string,
  managementEvent: string,
  recipientAccountId: string,
  serviceEventDetails: json,
  sharedEventID: string,
  vpcEndpointId: string,
  vpcEndpointAccountId: string,
  eventCategory: string,
  tlsDetails: struct({ tlsVersion: string, cipherSuite: string, clientProvidedHostHeader: string }),
};

/** The partition columns, in the order of the archive's key layout (`.../<account>/CloudTrail/<region>/<yyyy/MM/dd>`). */
export const CLOUDTRAIL_PARTITIONS = ['account', 'region', 'date'] as const;

/** A column or struct field name as Athena (and Hive's JSON SerDe) knows it. */
export const columnName = (recordKey: string): string => recordKey.toLowerCase();

/** The Hive type of a column, as the Glue table declares it. */
export function hiveType(type: ColumnType): string {
  switch (type.kind) {
    case 'string':
    case 'json':
      return 'string';
    case 'struct':
      return `struct<${Object.entries(type.fields)
        .map(([key, field]) => `${columnName(key)}:${hiveType(field)}`)
        .join(',')}>`;
    case 'array':
      return `array<${hiveType(type.element)}>`;
  }
}
