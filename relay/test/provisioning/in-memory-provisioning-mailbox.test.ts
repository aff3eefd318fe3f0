/** Runs the ProvisioningMailbox contract against the in-memory mailbox. */
import { InMemoryProvisioningMailbox } from '../../src/provisioning/in-memory-provisioning-mailbox.js';
import { runProvisioningMailboxContract } from '../support/provisioning-mailbox-contract.js';

runProvisioningMailboxContract('in-memory', async () => new InMemoryProvisioningMailbox());
