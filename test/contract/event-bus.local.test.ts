import { LocalEventBus, type BusEvent } from '../../lambdas/adapters/local/local-event-bus.js';
import { eventBusContract } from './suites/event-bus-contract.js';

eventBusContract('LocalEventBus', async () => {
  const bus = new LocalEventBus();
  const seen: BusEvent[] = [];
  const unsubscribe = bus.subscribe('*', (event) => {
    seen.push(event);
  });
  return {
    bus,
    published: async () => {
      await bus.idle();
      return seen.map(({ detailType, detail }) => ({ detailType, detail }));
    },
    teardown: async () => unsubscribe(),
  };
});
