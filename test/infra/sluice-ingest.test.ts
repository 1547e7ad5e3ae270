import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LAND_TIMEOUT, SluiceIngest } from '../../lib/constructs/sluice-ingest.js';
import { SluiceLanding } from '../../lib/constructs/sluice-landing.js';
import { config, testStack } from './support/sluice-app.js';

function ingest(props: Partial<ConstructorParameters<typeof SluiceIngest>[2]> = {}): Template {
  const stack = testStack();
  const landing = new SluiceLanding(stack, 'Landing');
  new SluiceIngest(stack, 'Ingest', {
    config: config(),
    bucket: landing.bucket,
    key: landing.key,
    secretsPrefix: 'sluice/dev/',
    ...props,
  });
  return Template.fromStack(stack);
}

const template = ingest();
const queueId = (): string =>
  template.getResourceId('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.anyValue() } });
const dlqId = (): string =>
  template.getResourceId('AWS::SQS::Queue', { Properties: { RedrivePolicy: Match.absent() } });

const ROUTES = [
  'POST /v1/batch',
  'POST /v1/track',
  'POST /v1/identify',
  'POST /v1/page',
  'POST /v1/screen',
  'POST /v1/group',
  'POST /v1/alias',
  'POST /webhooks/stripe',
  'POST /webhooks/zendesk',
  'POST /webhooks/salesforce',
  'POST /webhooks/{source}',
  'GET /health',
];

describe('SluiceIngest source secrets', () => {
  const withSources = ingest({
    config: config({
      sources: {
        segment: { kind: 'segment' },
        stripe: { kind: 'stripe' },
        salesforce: { kind: 'salesforce' },
        app_events: { kind: 'webhook' },
      },
    }),
  });

  it('creates one secret per configured source under the prefix, named as the contract names them', () => {
    const names = Object.values(withSources.findResources('AWS::SecretsManager::Secret')).map(
      (r) => (r as { Properties: { Name: string } }).Properties.Name,
    );
    expect(names.sort()).toEqual([
      'sluice/dev/SLUICE_SALESFORCE_ORG_IDS',
      'sluice/dev/SLUICE_SEGMENT_WRITE_KEY',
      'sluice/dev/SLUICE_STRIPE_WEBHOOK_SECRET',
      'sluice/dev/SLUICE_WEBHOOK_SECRET_APP_EVENTS',
    ]);
  });

  it('keeps secret values out of the template by letting Secrets Manager generate them', () => {
    withSources.allResourcesProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      SecretString: Match.absent(),
    });
  });

  it('creates no secret when no source is configured', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });
});

describe('SluiceIngest', () => {
  it('encrypts both queues with the landing key', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(2);
    for (const queue of Object.values(queues)) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^LandingKey/), 'Arn'],
      });
    }
  });

  it('moves a message to the dead-letter queue after five receives', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] }, maxReceiveCount: 5 },
    });
  });

  it('keeps dead letters for 14 days', () => {
    expect(template.findResources('AWS::SQS::Queue')[dlqId()]?.Properties.MessageRetentionPeriod).toBe(
      14 * 24 * 3600,
    );
  });

  it('sets a visibility timeout of at least six times the land timeout', () => {
    const visibility = template.findResources('AWS::SQS::Queue')[queueId()]?.Properties
      .VisibilityTimeout as number;
    expect(visibility).toBeGreaterThanOrEqual(6 * DEFAULT_LAND_TIMEOUT.toSeconds());
  });

  it('derives the visibility timeout from a custom consumer timeout', () => {
    const custom = ingest({ consumerTimeout: Duration.minutes(2) });
    custom.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.anyValue(),
      VisibilityTimeout: 6 * 120 + 30,
    });
  });

  it('denies queue requests without TLS', () => {
    for (const id of [queueId(), dlqId()]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('declares exactly the contract routes', () => {
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => r.Properties.RouteKey,
    );
    expect(keys.sort()).toEqual([...ROUTES].sort());
  });

  it.each(ROUTES)('sends %s to the ingest integration', (routeKey) => {
    const integrationId = template.getResourceId('AWS::ApiGatewayV2::Integration', {
      Properties: { IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
    });
  });

  it('points the integration at the ingest function', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestFunction'), 'Arn'] },
    });
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 },
    });
  });

  it('uses custom throttling limits when given', () => {
    ingest({ throttleRateLimit: 50, throttleBurstLimit: 75 }).hasResourceProperties(
      'AWS::ApiGatewayV2::Stage',
      {
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 75 },
      },
    );
  });

  it('answers CORS preflights for browser SDKs by default', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: ['POST', 'GET'],
        AllowCredentials: Match.absent(),
      },
    });
  });

  it('leaves CORS off when no origin is allowed', () => {
    ingest({ corsAllowOrigins: [] }).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.absent(),
    });
  });

  it('writes access logs to a log group with retention', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const [logGroupId] = stage?.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'] as [string, string];
    expect(template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(30);
  });

  it('keeps source IPs and user agents out of the access logs', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const format = stage?.Properties.AccessLogSettings.Format as string;
    expect(format).toContain('$context.requestId');
    expect(format).not.toMatch(/sourceIp|userAgent/);
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it('lets ingest read only the secrets under its prefix', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: { 'Fn::Join': ['', Match.arrayWith([':secret:sluice/dev/*'])] },
          }),
        ]),
      },
    });
  });

  it('lets ingest write objects only under oversize/', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const puts = statements.filter((s) => [s.Action].flat().includes('s3:PutObject'));
    expect(puts).toHaveLength(1);
    expect(JSON.stringify(puts[0]?.Resource)).toContain('/oversize/*');
  });

  it('hands the queue, dead-letter queue, bucket, prefix and config to the function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          QUEUE_URL: { Ref: queueId() },
          DLQ_URL: { Ref: dlqId() },
          LANDING_BUCKET: { Ref: Match.stringLikeRegexp('^LandingBucket') },
          SECRETS_PREFIX: 'sluice/dev/',
          SLUICE_CONFIG_JSON: JSON.stringify(config()),
          POWERTOOLS_SERVICE_NAME: 'sluice-ingest',
          POWERTOOLS_METRICS_NAMESPACE: 'Sluice',
        }),
      },
    });
  });
});
