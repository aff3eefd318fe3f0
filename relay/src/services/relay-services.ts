/** Builds the relay's services from their dependencies (one place that wires them together). */
import { AccountService } from './account-service.js';
import { AuthService } from './auth-service.js';
import { Housekeeping } from './housekeeping.js';
import { MessageService } from './message-service.js';
import { PrekeyService } from './prekey-service.js';
import { PresenceService } from './presence-service.js';
import type { ServiceDeps } from './service-deps.js';
import { SessionTokens } from './session-tokens.js';

export interface RelayServices {
  readonly deps: ServiceDeps;
  readonly auth: AuthService;
  readonly accounts: AccountService;
  readonly prekeys: PrekeyService;
  readonly messages: MessageService;
  readonly presence: PresenceService;
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
    housekeeping: new Housekeeping(deps, messages, accounts),
  };
}
