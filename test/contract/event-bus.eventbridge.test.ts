/**
 * Runs the EventBus contract against {@link EventBridgeBus} backed by {@link FakeEventBridge}, whose record of
 * accepted `PutEvents` entries is the probe.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeBus } from '../../lambdas/adapters/aws/eventbridge-bus.js';
import type { DetailType } from '../../lambdas/core/ports.js';
import { FakeEventBridge } from './fakes/fake-eventbridge.js';
import { eventBusContract } from './suites/event-bus-contract.js';

const BUS = 'sluice-contract';

eventBusContract('EventBridge (in-memory fake)', async () => {
  const fake = new FakeEventBridge([BUS]);
  const client = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { detach } = fake.attach(client);
  return {
    bus: new EventBridgeBus({ client, eventBusName: BUS }),
    published: async () =>
      fake.accepted
        .filter((event) => event.eventBusName === BUS && event.source === 'sluice')
        .map((event) => ({
          detailType: event.detailType as DetailType,
          detail: event.detail as Record<string, unknown>,
        })),
    teardown: async () => {
      detach();
      client.destroy();
    },
  };
});
