/**
 * A connected session: the unlocked profile plus the relay link, the inbox that processes what
 * arrives, the messenger that sends, and one event hub every part reports to. Commands that talk
 * to the relay open one with {@link connect} and close it when done.
 */
import type { CryptoSuite } from '@sealpost/crypto';
import { RelayHttp } from '../transport/relay-http.js';
import type { SessionEvent, SessionEventListener } from './events.js';
import { Inbox } from './inbox.js';
import { localDevice } from './local-device.js';
import { flushReadReceipts } from './messages.js';
import { Messenger } from './messenger.js';
import type { LocalDeviceHolder } from './own-devices.js';
import { maintainPrekeys } from './prekeys.js';
import type { Profile } from './profile.js';
import { deviceAuthenticator } from './relay-auth.js';
import { RelayLink } from './relay-link.js';

export class EventHub {
  private readonly listeners = new Set<SessionEventListener>();

  on(listener: SessionEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

export interface ConnectOptions {
  /** Reconnect attempts after a loss (Infinity for long-running commands). */
  readonly maxReconnects: number;
  /** Refill prekey pools and rotate signed prekeys once connected (listen, receive, chat). */
  readonly maintainPrekeys: boolean;
  readonly now: () => number;
  /** Subscribed before connecting, so no event of the first connection (e.g. `drained`) is missed. */
  readonly listener?: SessionEventListener;
  /** Keep checking prekeys while connected (long-running commands). */
  readonly periodicMaintenance?: boolean;
}

export class Session {
  readonly events = new EventHub();
  readonly device: LocalDeviceHolder;
  readonly http: RelayHttp;
  readonly link: RelayLink;
  readonly inbox: Inbox;
  readonly messenger: Messenger;

  constructor(
    readonly profile: Profile,
    readonly now: () => number,
    maxReconnects: number,
  ) {
    const suite: CryptoSuite = profile.crypto;
    this.device = { current: localDevice(suite, profile.identity()) };
    this.http = new RelayHttp(this.device.current.relayUrl);
    const authenticate = deviceAuthenticator(suite, profile.store, this.http, this.device.current, now);
    this.http.setAuthenticator(authenticate);
    const emit = (event: SessionEvent): void => this.events.emit(event);
    this.inbox = new Inbox({ suite, profile, http: this.http, device: this.device, link: () => this.link, emit, now });
    this.link = new RelayLink({ authenticate, relayUrl: this.device.current.relayUrl, onFrame: (frame) => this.inbox.handle(frame), onEvent: emit, maxReconnects });
    this.messenger = new Messenger({ suite, profile, http: this.http, device: this.device, link: this.link, inbox: this.inbox, emit, now });
  }

  /**
   * Checks the prekey pools and signed-prekey age periodically while connected (the relay also
   * says when a pool runs low). Returns the function that stops it.
   */
  startMaintenance(intervalMs: number = MAINTENANCE_INTERVAL_MS): () => void {
    const timer = setInterval(() => {
      if (!this.link.connected) return;
      maintainPrekeys(this.profile.crypto, this.profile.store, this.http, this.device.current, this.now()).catch(() => undefined);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await this.link.stop();
  }
}

/** How often a long-running session checks its prekeys (rotation is weekly; this is cheap). */
const MAINTENANCE_INTERVAL_MS = 6 * 3600 * 1000;

/** Opens the relay connection for an unlocked profile. */
export async function connect(profile: Profile, options: ConnectOptions): Promise<Session> {
  const session = new Session(profile, options.now, options.maxReconnects);
  if (options.listener !== undefined) session.events.on(options.listener);
  await session.link.start();
  flushReadReceipts(profile, session.link);
  if (options.maintainPrekeys) await maintainPrekeys(profile.crypto, profile.store, session.http, session.device.current, options.now());
  return session;
}
