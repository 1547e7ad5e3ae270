import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SnsAlertChannel } from '../../../lambdas/adapters/aws/sns-alert-channel.js';
import { DuckDbWarehouse } from '../../../lambdas/adapters/local/duckdb-warehouse.js';
import { resolveConfig } from '../../../lambdas/core/config/resolve-config.js';
import type { MonitorInvocation } from '../../../lambdas/handlers/monitor.js';
import { FakeSlack } from '../../../lambdas/local/simulator/fake-vendors/fake-slack.js';
import { FixedClock } from '../../support/memory-ports.js';
import { installHandlerEnv, lambdaContext } from './handler-env.js';

type Handler = (event: EventBridgeEvent<string, unknown>, context: Context) => Promise<MonitorInvocation>;

const NOW = new Date('2026-11-24T10:00:00Z');
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sluice-alerts';
const secretsManager = mockClient(SecretsManagerClient);
const events = mockClient(EventBridgeClient);
const snsClient = new SNSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const sns = mockClient(snsClient);
let slack: FakeSlack;
let warehouse: DuckDbWarehouse;
let run: Handler;
let deployed: Handler;

const event = (detailType: string, detail: unknown) =>
  ({ 'detail-type': detailType, source: 'sluice', detail }) as unknown as EventBridgeEvent<string, unknown>;
const invoke = (e: EventBridgeEvent<string, unknown>) => run(e, lambdaContext as unknown as Context);

beforeAll(async () => {
  installHandlerEnv();
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  slack = new FakeSlack();
  const webhook = await slack.start();
  secretsManager.on(GetSecretValueCommand).callsFake((input: { SecretId?: string }) => {
    if (input.SecretId === 'sluice/SLUICE_SLACK_WEBHOOK_URL') return { SecretString: webhook };
    throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
  });
  const module = await import('../../../lambdas/handlers/monitor.js');
  const aws = await import('../../../lambdas/handlers/aws-ports.js');
  deployed = module.handler as unknown as Handler;
  warehouse = await DuckDbWarehouse.open(':memory:');
  const { log, metrics } = aws.observability('monitor');
  run = module.monitorHandler({
    ports: { warehouse, bus: aws.eventBus(), metrics, log },
    secrets: aws.managerSecrets(),
    http: fetch,
    clock: new FixedClock(NOW),
    config: resolveConfig({
      monitors: { freshness: [{ table: 'raw.stripe', warnAfterMinutes: 30, errorAfterMinutes: 60 }] },
      owners: { stripe: '@revops' },
    }),
    channels: [new SnsAlertChannel({ client: snsClient, topicArn: TOPIC })],
  }) as unknown as Handler;
});

beforeEach(async () => {
  events.reset();
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  slack.messages.length = 0;
  await warehouse.execute('DROP SCHEMA IF EXISTS ops CASCADE');
});
afterEach(() => vi.clearAllMocks());
afterAll(async () => {
  await warehouse.close();
  await slack.stop();
});

function published(): string[] {
  return events
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => entry.DetailType ?? '');
}

describe('monitor handler', () => {
  it('runs the monitors on its schedule and alerts Slack, the SNS topic and the event bus', async () => {
    const outcome = await invoke(event('Scheduled Event', {}));
    expect(outcome).toMatchObject({
      action: 'run',
      run: { incidents: [{ key: 'freshness|raw.stripe', type: 'opened' }] },
    });
    expect(slack.messages.map((m) => m.header)).toEqual([':red_circle: raw.stripe is stale']);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toBe('raw.stripe is stale');
    expect(published()).toEqual(['sluice.monitor.alert']);
  });

  it('announces a failed step at once when sluice.step.failed arrives', async () => {
    const outcome = await invoke(
      event('sluice.step.failed', { step: 'pull', source: 'zendesk', reason: '401 Unauthorized' }),
    );
    expect(outcome).toMatchObject({
      action: 'step_failed',
      incidents: [{ key: 'step_failed|raw.zendesk|pull:zendesk', type: 'opened' }],
    });
    expect(slack.messages[0]?.header).toBe(':red_circle: The pull step failed (zendesk)');
  });

  it('sends the daily digest when its schedule says so', async () => {
    const outcome = await invoke(event('sluice.monitor.scheduled', { action: 'digest' }));
    expect(outcome).toEqual({ action: 'digest', delivered: true });
    expect(slack.messages[0]?.header).toBe(':clipboard: Sluice daily digest: 0 open, 0 resolved');
  });

  it('deploys a handler built from the function’s environment', () => {
    expect(typeof deployed).toBe('function');
  });
});
