/** Environment the handlers read, as the CDK stacks set it; tests install it before importing a handler. */
export const HANDLER_ENV = {
  SLUICE_CONFIG_JSON: JSON.stringify({ sources: { app_events: { kind: 'webhook' } } }),
  LANDING_BUCKET: 'sluice-landing-test',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-ingest',
  DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-ingest-dlq',
  EVENT_BUS_NAME: 'sluice',
  SECRETS_PREFIX: 'sluice/',
  REDSHIFT_WORKGROUP: 'sluice',
  REDSHIFT_DATABASE: 'sluice',
  REDSHIFT_COPY_ROLE_ARN: 'arn:aws:iam::123456789012:role/sluice-copy',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test-secret-not-real',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  POWERTOOLS_DEV: 'false',
};

/** Installs {@link HANDLER_ENV} into `process.env`. */
export function installHandlerEnv(): void {
  Object.assign(process.env, HANDLER_ENV);
}

/** A minimal Lambda context for middy. */
export const lambdaContext = {
  functionName: 'test',
  functionVersion: '1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/test',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
