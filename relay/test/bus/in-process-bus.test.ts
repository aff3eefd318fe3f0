/** Runs the MessageBus contract against the in-process bus. */
import { InProcessBus } from '../../src/bus/in-process-bus.js';
import { runMessageBusContract } from '../support/message-bus-contract.js';

runMessageBusContract('in-process', async () => {
  const bus = new InProcessBus();
  return { bus, cleanup: () => bus.close() };
});
