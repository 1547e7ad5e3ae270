import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResources } from './acknowledge.js';
import type { ResolvedConfig } from '../../lambdas/core/config/config-types.js';
import { SALESFORCE_ORG_IDS, sourceSecretName } from '../../lambdas/core/ingest/source-secrets.js';
import { SluiceFunction } from './sluice-function.js';
import { LANDING_KEY_PREFIXES } from './sluice-landing.js';

/** The Segment-compatible tracking routes (`POST /v1/<name>`), as in the public route contract. */
export const SEGMENT_ROUTES = ['batch', 'track', 'identify', 'page', 'screen', 'group', 'alias'] as const;

/** Webhook sources with a dedicated route and verifier; any other source goes through `/webhooks/{source}`. */
export const WEBHOOK_ROUTES = ['stripe', 'zendesk', 'salesforce'] as const;

/**
 * How long the land function may run. The queue's visibility timeout is derived from it (AWS asks for at least
 * six times the function timeout plus the batching window), so both constructs must agree on it.
 */
export const DEFAULT_LAND_TIMEOUT = Duration.minutes(1);

/** How long the land event source waits to fill a batch; it also counts towards the visibility timeout. */
export const LAND_BATCHING_WINDOW = Duration.seconds(30);

/** Properties of {@link SluiceIngest}. */
export interface SluiceIngestProps {
  /** The resolved config, handed to the function as `SLUICE_CONFIG_JSON`. */
  readonly config: ResolvedConfig;
  /** The landing bucket; ingest may only write envelopes too large for a queue message under `oversize/`. */
  readonly bucket: s3.IBucket;
  /** The landing key; the queues are encrypted with it too, so one key policy covers the data path. */
  readonly key: kms.IKey;
  /** Secrets Manager name prefix; ingest may read only secrets named `<prefix><NAME>`. */
  readonly secretsPrefix: string;
  /**
   * The key that encrypts the webhook secrets, when it is a customer-managed key. Secrets under the AWS
   * managed key `aws/secretsmanager` need no grant.
   * @default - the secrets use the AWS managed key
   */
  readonly secretsKey?: kms.IKey;
  /** Timeout of the queue's consumer (the land function). @default {@link DEFAULT_LAND_TIMEOUT} */
  readonly consumerTimeout?: Duration;
  /** Steady-state requests per second the API accepts before answering 429. @default 500 */
  readonly throttleRateLimit?: number;
  /** Burst of requests the API accepts above the steady rate. @default 1000 */
  readonly throttleBurstLimit?: number;
  /**
   * Browser origins allowed to call the API (CORS), for Segment/RudderStack browser SDKs pointed at Sluice.
   * Calls carry a write key or a signature, never cookies, so `*` exposes nothing; pass `[]` to turn CORS off.
   * @default ['*']
   */
  readonly corsAllowOrigins?: readonly string[];
  /** Deliveries of a message before it moves to the dead-letter queue. @default 5 */
  readonly maxReceiveCount?: number;
  /** Retention of the API access logs and the function logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Where the dead-letter alarm notifies (e.g. an SNS topic action). @default - no action, the alarm only */
  readonly alarmActions?: readonly cloudwatch.IAlarmAction[];
}

/**
 * The HTTP entry of the pipeline: an HTTP API whose every route (Segment-compatible tracking, the webhooks,
 * `/health`) reaches one ingest function, which verifies, validates and queues events on an encrypted SQS
 * queue with a dead-letter queue. Authentication lives in the function because each source signs differently
 * (write keys, HMAC signatures, SOAP organization ids); API Gateway adds throttling and access logs.
 */
export class SluiceIngest extends Construct {
  /** The queue between ingest and land. */
  readonly queue: sqs.Queue;
  /** Messages that failed `maxReceiveCount` deliveries; replayed with `sluice replay dlq`. */
  readonly deadLetterQueue: sqs.Queue;
  /** The HTTP API. */
  readonly api: apigwv2.HttpApi;
  /** The `$default` stage, throttled and access-logged. */
  readonly stage: apigwv2.HttpStage;
  /** The ingest function. */
  readonly ingest: SluiceFunction;
  /** Fires as soon as one message sits in the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The API's access log group. */
  readonly accessLogs: logs.LogGroup;
  /**
   * One secret per configured source that authenticates with one, by the contract's names
   * (`<prefix>SLUICE_STRIPE_WEBHOOK_SECRET`, `<prefix>SLUICE_WEBHOOK_SECRET_APP_EVENTS`, …; Salesforce's org
   * allow-list as `<prefix>SLUICE_SALESFORCE_ORG_IDS`). Each starts with a random value, so every source
   * refuses traffic until the operator stores the vendor's secret (or hands the generated one to the sender).
   */
  readonly sourceSecrets: Readonly<Record<string, secretsmanager.Secret>>;

  constructor(scope: Construct, id: string, props: SluiceIngestProps) {
    super(scope, id);
    const consumerTimeout = props.consumerTimeout ?? DEFAULT_LAND_TIMEOUT;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const corsAllowOrigins = props.corsAllowOrigins ?? ['*'];

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      // One data key per hour instead of per message: far fewer KMS calls at high event rates.
      dataKeyReuse: Duration.hours(1),
      enforceSSL: true,
      retentionPeriod: Duration.days(7),
      visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6 + LAND_BATCHING_WINDOW.toSeconds()),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.ingest = new SluiceFunction(this, 'Ingest', {
      handler: 'ingest',
      description: 'Sluice ingest: verifies, validates and queues events from the HTTP API',
      serviceName: 'sluice-ingest',
      timeout: Duration.seconds(10),
      memorySize: 512,
      logRetention,
      environment: {
        SLUICE_CONFIG_JSON: JSON.stringify(props.config),
        QUEUE_URL: this.queue.queueUrl,
        DLQ_URL: this.deadLetterQueue.queueUrl,
        LANDING_BUCKET: props.bucket.bucketName,
        SECRETS_PREFIX: props.secretsPrefix,
      },
    });
    this.grantIngest(this.ingest.role, props);
    this.sourceSecrets = this.createSourceSecrets(props);

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Sluice ingest: Segment-compatible tracking, webhooks and health',
      createDefaultStage: false,
      ...(corsAllowOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...corsAllowOrigins],
              allowMethods: [apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.GET],
              allowHeaders: ['Content-Type', 'Authorization'],
              maxAge: Duration.days(1),
            },
          }
        : {}),
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttleRateLimit ?? 500,
        burstLimit: props.throttleBurstLimit ?? 1000,
      },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        // No source IP, user agent or headers: they are personal data or carry credentials.
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: apigw.AccessLogField.contextRequestId(),
            requestTime: apigw.AccessLogField.contextRequestTime(),
            routeKey: '$context.routeKey',
            status: apigw.AccessLogField.contextStatus(),
            responseLength: apigw.AccessLogField.contextResponseLength(),
            responseLatency: apigw.AccessLogField.contextResponseLatency(),
            integrationLatency: apigw.AccessLogField.contextIntegrationLatency(),
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('IngestIntegration', this.ingest.function, {
      // Twelve routes share one function: one permission for the API instead of one per route.
      scopePermissionToRoute: false,
    });
    const post = [apigwv2.HttpMethod.POST];
    for (const name of SEGMENT_ROUTES)
      this.api.addRoutes({ path: `/v1/${name}`, methods: post, integration });
    for (const name of WEBHOOK_ROUTES)
      this.api.addRoutes({ path: `/webhooks/${name}`, methods: post, integration });
    this.api.addRoutes({ path: '/webhooks/{source}', methods: post, integration });
    this.api.addRoutes({ path: '/health', methods: [apigwv2.HttpMethod.GET], integration });

    acknowledge(
      this.api,
      'Every route authenticates in the ingest function because each source signs differently (Segment write key, Stripe/Zendesk/generic HMAC signatures over the raw body, Salesforce organization allow-list); /health is public by contract and returns no data.',
      'AwsSolutions-APIG4',
    );

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'Sluice: messages reached the dead-letter queue (land failed 5 times); inspect and replay with `sluice replay dlq`',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const action of props.alarmActions ?? []) this.deadLetterAlarm.addAlarmAction(action);
  }

  /** Creates the per-source secrets; values are never in the template (generated by Secrets Manager). */
  private createSourceSecrets(props: SluiceIngestProps): Record<string, secretsmanager.Secret> {
    const secrets: Record<string, secretsmanager.Secret> = {};
    for (const [source, { kind }] of Object.entries(props.config.sources)) {
      // Pull-only sources (application database, Amplitude) have no route and no webhook secret.
      const name = kind === 'salesforce' ? SALESFORCE_ORG_IDS : sourceSecretName(source, kind);
      if (name === undefined) continue;
      if (secrets[name]) continue;
      const secret = new secretsmanager.Secret(this, `Secret${name}`, {
        secretName: `${props.secretsPrefix}${name}`,
        description: `Sluice: authenticates the ${source} source (${kind}); replace with the vendor's value`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      acknowledge(
        secret,
        'Vendor-issued webhook secrets and write keys are rotated on the vendor side and stored here by the operator; rotating them automatically would break delivery until every sender is updated.',
        'AwsSolutions-SMG4',
      );
      secrets[name] = secret;
    }
    return secrets;
  }

  /** Least privilege of the ingest function: queue, depth, `oversize/` writes and the secrets under the prefix. */
  private grantIngest(role: iam.IRole, props: SluiceIngestProps): void {
    const stack = Stack.of(this);
    const oversizeArn = props.bucket.arnForObjects(`${LANDING_KEY_PREFIXES.oversize}*`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendToQueue',
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: [this.queue.queueArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDeadLetterDepth',
        actions: ['sqs:GetQueueAttributes'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutOversizeEnvelopes',
        actions: ['s3:PutObject'],
        resources: [oversizeArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseLandingKeyThroughSqsAndS3',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': [`sqs.${Aws.REGION}.amazonaws.com`, `s3.${Aws.REGION}.amazonaws.com`],
          },
        },
      }),
    );
    const secretsArn = stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.secretsPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadSluiceSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretsArn],
      }),
    );
    if (props.secretsKey) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptSluiceSecrets',
          actions: ['kms:Decrypt'],
          resources: [props.secretsKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }
    acknowledgeWildcardResources(
      role,
      'Ingest writes envelopes too large for SQS under the oversize/ prefix only; their keys are generated per envelope.',
      oversizeArn,
    );
    acknowledgeWildcardResources(
      role,
      `Webhook and write-key secrets are created by the operator as ${props.secretsPrefix}<NAME>; Secrets Manager appends a random suffix to every secret ARN, so the grant is the name prefix.`,
      secretsArn,
    );
  }
}
