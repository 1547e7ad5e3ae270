import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeBus } from '../../../../lambdas/adapters/aws/eventbridge-bus.js';
import { UnavailableError } from '../../../../lambdas/core/errors.js';

const client = new EventBridgeClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const events = mockClient(client);

describe('EventBridgeBus', () => {
  let slept: number[];
  let bus: EventBridgeBus;

  beforeEach(() => {
    events.reset();
    slept = [];
    bus = new EventBridgeBus({
      client,
      eventBusName: 'sluice-bus',
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  });

  it('puts one entry with source sluice, the detail-type and the detail as JSON', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await bus.publish('sluice.load.completed', { table: 'raw.stripe', rows: 42 });
    expect(events.commandCalls(PutEventsCommand).map((call) => call.args[0].input)).toEqual([
      {
        Entries: [
          {
            Source: 'sluice',
            DetailType: 'sluice.load.completed',
            Detail: '{"table":"raw.stripe","rows":42}',
            EventBusName: 'sluice-bus',
          },
        ],
      },
    ]);
    expect(slept).toEqual([]);
  });

  it('retries an entry the bus did not accept', async () => {
    events
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    await bus.publish('sluice.monitor.alert', { monitor: 'freshness' });
    const inputs = events.commandCalls(PutEventsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toEqual(inputs[0]);
    expect(slept).toEqual([100]);
  });

  it('throws UnavailableError with the reason once the attempts are used up', async () => {
    events.on(PutEventsCommand).resolves({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }],
    });
    const error = (await bus
      .publish('sluice.step.failed', { step: 'load' })
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toContain('InternalFailure');
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(3);
    expect(slept).toEqual([100, 200]);
  });

  it('honours a configured number of attempts', async () => {
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const once = new EventBridgeBus({
      client,
      eventBusName: 'sluice-bus',
      maxAttempts: 1,
      sleep: async () => {},
    });
    await expect(once.publish('sluice.sync.completed', {})).rejects.toThrow(UnavailableError);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
  });
});
