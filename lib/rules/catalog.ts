import TrailNoLogBucketDataEvents from './cloudtrail/TrailNoLogBucketDataEvents';
import IamNoWildcardAdmin from './iam/IamNoWildcardAdmin';
import ServiceGrantSourceCondition from './iam/ServiceGrantSourceCondition';
import KmsKeyRotation from './kms/KmsKeyRotation';
import BackendKey from './limits/BackendKey';
import EventPatternSize from './limits/EventPatternSize';
import PolicySize from './limits/PolicySize';
import ResourceNameLength from './limits/ResourceNameLength';
import S3BucketName from './limits/S3BucketName';
import TagLimits from './limits/TagLimits';
import LambdaFailureDestination from './lambda/LambdaFailureDestination';
import LambdaReservedConcurrency from './lambda/LambdaReservedConcurrency';
import LogGroupEncrypted from './logs/LogGroupEncrypted';
import LogGroupRetention from './logs/LogGroupRetention';
import type { PolicyRule } from './rule';
import S3BucketEncrypted from './s3/S3BucketEncrypted';
import S3BucketPublicAccessBlocked from './s3/S3BucketPublicAccessBlocked';
import S3BucketTlsOnly from './s3/S3BucketTlsOnly';
import S3BucketVersioned from './s3/S3BucketVersioned';
import SnsTopicEncrypted from './sns/SnsTopicEncrypted';
import SqsQueueEncrypted from './sqs/SqsQueueEncrypted';

/** Every rule the baseline holds itself to, in the order they are reported. */
export const BASELINE_RULES: readonly PolicyRule[] = [
  S3BucketEncrypted,
  S3BucketPublicAccessBlocked,
  S3BucketTlsOnly,
  S3BucketVersioned,
  LogGroupRetention,
  LogGroupEncrypted,
  KmsKeyRotation,
  SnsTopicEncrypted,
  SqsQueueEncrypted,
  IamNoWildcardAdmin,
  ServiceGrantSourceCondition,
  LambdaFailureDestination,
  LambdaReservedConcurrency,
  // AWS's own limits: what AWS or Terraform would refuse at apply, caught at synth.
  S3BucketName,
  ResourceNameLength,
  PolicySize,
  EventPatternSize,
  TagLimits,
  BackendKey,
  TrailNoLogBucketDataEvents,
];
