/*
 * The CloudTrail calls the rules judge, shared with the infrastructure that routes events to the detector.
 */

/** S3 calls that return or copy an object's content (metadata-only reads such as HeadObject are left out). */
export const OBJECT_READ_EVENT_NAMES = ['CopyObject', 'GetObject', 'GetObjectTorrent', 'SelectObjectContent', 'UploadPartCopy'] as const;

/** Copies read their source object: the key is in the copy-source header, not in "key". */
export const COPY_EVENT_NAMES = ['CopyObject', 'UploadPartCopy'] as const;

export const BUCKET_ENUMERATION_EVENT_NAMES = ['ListBuckets'] as const;
export const BUCKET_ENUMERATION_EVENT_SOURCE = 's3.amazonaws.com';
