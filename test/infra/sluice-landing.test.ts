import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SluiceLanding } from '../../lib/constructs/sluice-landing.js';
import { testStack } from './support/sluice-app.js';

function landing(props: ConstructorParameters<typeof SluiceLanding>[2] = {}): {
  template: Template;
  construct: SluiceLanding;
} {
  const stack = testStack();
  const construct = new SluiceLanding(stack, 'Landing', props);
  return { template: Template.fromStack(stack), construct };
}

const { template, construct } = landing();
const bucketId = (): string =>
  template.getResourceId('AWS::S3::Bucket', { Properties: { VersioningConfiguration: Match.anyValue() } });

describe('SluiceLanding', () => {
  it('creates a customer-managed key with rotation on', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('encrypts the landing bucket with that key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LandingKey'), 'Arn'] },
            },
          }),
        ],
      },
    });
  });

  it('blocks every kind of public access on both buckets', () => {
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('denies requests without TLS on the landing bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('tiers landing files to Infrequent Access after 30 days and Glacier after 180', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'landing/',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
              { StorageClass: 'GLACIER', TransitionInDays: 180 },
            ],
          }),
        ]),
      },
    });
  });

  it('expires noncurrent versions and aborts incomplete multipart uploads', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ]),
      },
    });
  });

  it('sends server access logs to the separate logs bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^LandingAccessLogs') },
        LogFilePrefix: 'landing-bucket/',
      },
    });
  });

  it('turns on EventBridge notifications for the landing bucket', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId() },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('retains the buckets and the key by default', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
  });

  it('deletes the buckets and the key when destroyOnRemoval is set', () => {
    const destroyed = landing({ destroyOnRemoval: true }).template;
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(destroyed.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
  });

  it('exposes the key that encrypts the bucket', () => {
    expect(construct.bucket.encryptionKey).toBe(construct.key);
  });
});
