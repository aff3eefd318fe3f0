/** Builds the relay's services from their dependencies (one place that wires them together). */
import { MediaService } from '../media/media-service.js';
import type { PushService } from '../push/push-service.js';
import { AccountService } from './account-service.js';
import { AdminService } from './admin-service.js';
import { AuthService } from './auth-service.js';
import { Housekeeping } from './housekeeping.js';
import { MessageService } from './message-service.js';
import { PrekeyService } from './prekey-service.js';
import { PresenceService } from './presence-service.js';
import { ProvisioningService } from './provisioning-service.js';
import { PushWakeups } from './push-wakeups.js';
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
  /** Encrypted media: upload grants, completion, download URLs, quotas, sweeping. */
  readonly media: MediaService;
  /** Web Push subscriptions (the routes); undefined when push is off. */
  readonly push: PushService | undefined;
  /** Pushes to offline devices on the way from the queue to the notifier (shutdown waits for them). */
  readonly wakeups: PushWakeups;
  /** Operator actions; inside a relay they also close the affected connections at once. */
  readonly admin: AdminService;
  readonly housekeeping: Housekeeping;
}

/** `push` is the same object as `deps.push` when push is on: the routes need all of it, services only notify(). */
export function createRelayServices(deps: ServiceDeps, sessionKey: Uint8Array, push?: PushService): RelayServices {
  const auth = new AuthService(deps, new SessionTokens(sessionKey, deps.config.auth.sessionTtlMs));
  const accounts = new AccountService(deps, auth);
  const wakeups = new PushWakeups(deps);
  const messages = new MessageService(deps, wakeups);
  const media = new MediaService({ store: deps.storage.media, backend: deps.mediaBackend, config: deps.config.media, clock: deps.clock, logger: deps.logger });
  return {
    deps,
    auth,
    accounts,
    prekeys: new PrekeyService(deps, wakeups),
    messages,
    presence: new PresenceService(deps),
    provisioning: new ProvisioningService(deps),
    media,
    push,
    wakeups,
    admin: new AdminService(deps),
    housekeeping: new Housekeeping(deps, messages, accounts, media),
  };
}
