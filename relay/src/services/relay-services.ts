/** Builds the relay's services from their dependencies (one place that wires them together). */
import { AccountService } from './account-service.js';
import { AdminService } from './admin-service.js';
import { AuthService } from './auth-service.js';
import { Housekeeping } from './housekeeping.js';
import { MessageService } from './message-service.js';
import { PrekeyService } from './prekey-service.js';
import { PresenceService } from './presence-service.js';
import { ProvisioningService } from './provisioning-service.js';
import type { ServiceDeps } from './service-deps.js';
import { SessionTokens } from './session-tokens.js';

export interface RelayServices {
  readonly deps: ServiceDeps;
  readonly auth: AuthService;
  readonly accounts: AccountService;
  readonly prekeys: PrekeyService;
  readonly messages: MessageService;
  readonly presence: PresenceService;
  readonly provisioning: ProvisioningService;
  /** Operator actions; inside a relay they also close the affected connections at once. */
  readonly admin: AdminService;
  readonly housekeeping: Housekeeping;
}

export function createRelayServices(deps: ServiceDeps, sessionKey: Uint8Array): RelayServices {
  const auth = new AuthService(deps, new SessionTokens(sessionKey, deps.config.auth.sessionTtlMs));
  const accounts = new AccountService(deps, auth);
  const messages = new MessageService(deps);
  return {
    deps,
    auth,
    accounts,
    prekeys: new PrekeyService(deps),
    messages,
    presence: new PresenceService(deps),
    provisioning: new ProvisioningService(deps),
    admin: new AdminService(deps),
    housekeeping: new Housekeeping(deps, messages, accounts),
  };
}
