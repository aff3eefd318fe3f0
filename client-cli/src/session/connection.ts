/**
 * How a command talks to the relay: as the owner of this device's relay connection (it connects
 * and serves the profile's other processes on the agent socket), or as a client of the process
 * that already owns it (`send` while `listen` runs). The relay keeps one live connection per
 * device and replaces an older one, so without this a `send` would knock `listen` off.
 */
import { decodeMediaPointer, encodeMediaPointer, type MediaPointer } from '@sealpost/crypto';
import { CliError } from '../errors.js';
import type { ContactRecord, MessageRecord } from '../store/records.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { AgentClient } from './agent-client.js';
import type { ClientRequest } from './agent-protocol.js';
import { AgentServer, type AgentHandler } from './agent-server.js';
import { fromB64, toB64 } from './encoding.js';
import { flushReadReceipts } from './messages.js';
import type { Profile } from './profile.js';
import { connect, EventHub, type ConnectOptions, type Session } from './runtime.js';
import { signedInHttp } from './signed-http.js';

export interface Connection {
  /** 'owner': this process holds the relay connection; 'client': another process does. */
  readonly role: 'owner' | 'client';
  readonly profile: Profile;
  readonly events: EventHub;
  /** A signed-in HTTP client for routes (contact lookups, device lists). */
  http(): Promise<RelayHttp>;
  sendText(contact: ContactRecord, body: string): Promise<MessageRecord>;
  /** Sends a file message for an uploaded media object (see ./file-upload.ts). */
  sendFile(contact: ContactRecord, pointer: MediaPointer): Promise<MessageRecord>;
  sendTyping(contact: ContactRecord, state: 'started' | 'stopped'): Promise<void>;
  /** Sends read receipts waiting in the store; returns how many messages they covered. */
  flushReadReceipts(): Promise<number>;
  /** Settles when the connection ends by itself: rejects with why. */
  ended(): Promise<void>;
  close(): Promise<void>;
}

function agentHandler(session: Session): AgentHandler {
  const { profile } = session;
  const contact = (accountId: string): ContactRecord => {
    const found = profile.store.run(() => profile.store.contacts.getByAccountId(accountId));
    if (found === undefined) throw new CliError('CLI_ERR_CONTACT_NOT_FOUND', accountId);
    return found;
  };
  return {
    handle: async (request: ClientRequest) => {
      switch (request.t) {
        case 'send':
          return session.messenger.sendText(contact(request.contact), request.body);
        case 'send-file':
          return session.messenger.sendFile(contact(request.contact), decodeMediaPointer(fromB64(request.pointer)));
        case 'typing':
          await session.messenger.sendTyping(contact(request.contact), request.state);
          return null;
        case 'flush-read':
          return flushReadReceipts(profile, session.link);
        default:
          throw new CliError('CLI_ERR_INTERNAL', 'unknown agent request');
      }
    },
    subscribe: (listener) => session.events.on(listener),
  };
}

class OwnerConnection implements Connection {
  readonly role = 'owner';
  private readonly stopMaintenance: () => void;

  constructor(
    private readonly session: Session,
    private readonly server: AgentServer,
    periodicMaintenance: boolean,
  ) {
    this.stopMaintenance = periodicMaintenance ? session.startMaintenance() : () => undefined;
  }

  get profile(): Profile {
    return this.session.profile;
  }

  get events(): EventHub {
    return this.session.events;
  }

  http(): Promise<RelayHttp> {
    return Promise.resolve(this.session.http);
  }

  sendText(contact: ContactRecord, body: string): Promise<MessageRecord> {
    return this.session.messenger.sendText(contact, body);
  }

  sendFile(contact: ContactRecord, pointer: MediaPointer): Promise<MessageRecord> {
    return this.session.messenger.sendFile(contact, pointer);
  }

  sendTyping(contact: ContactRecord, state: 'started' | 'stopped'): Promise<void> {
    return this.session.messenger.sendTyping(contact, state);
  }

  flushReadReceipts(): Promise<number> {
    return Promise.resolve(flushReadReceipts(this.session.profile, this.session.link));
  }

  ended(): Promise<void> {
    return this.session.link.ended();
  }

  async close(): Promise<void> {
    this.stopMaintenance();
    // Requests of other processes in progress finish first; they need the live session.
    await this.server.close();
    await this.session.close();
  }
}

class ClientConnection implements Connection {
  readonly role = 'client';
  readonly events = new EventHub();
  private signedIn: Promise<RelayHttp> | undefined;

  constructor(
    readonly profile: Profile,
    private readonly client: AgentClient,
  ) {
    client.onEvent((event) => this.events.emit(event));
  }

  http(): Promise<RelayHttp> {
    this.signedIn ??= signedInHttp(this.profile);
    return this.signedIn;
  }

  async sendText(contact: ContactRecord, body: string): Promise<MessageRecord> {
    return (await this.client.request({ t: 'send', contact: contact.accountId, body })) as MessageRecord;
  }

  async sendFile(contact: ContactRecord, pointer: MediaPointer): Promise<MessageRecord> {
    return (await this.client.request({ t: 'send-file', contact: contact.accountId, pointer: toB64(encodeMediaPointer(pointer)) })) as MessageRecord;
  }

  async sendTyping(contact: ContactRecord, state: 'started' | 'stopped'): Promise<void> {
    await this.client.request({ t: 'typing', contact: contact.accountId, state });
  }

  async flushReadReceipts(): Promise<number> {
    return (await this.client.request({ t: 'flush-read' })) as number;
  }

  async ended(): Promise<void> {
    throw await this.client.ended();
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/**
 * Joins the process that owns this device's relay connection, or becomes the owner: connects
 * to the relay and serves the profile's other processes until closed.
 */
export async function openConnection(profile: Profile, options: ConnectOptions): Promise<Connection> {
  const path = profile.paths.agentSocket;
  const { crypto, store } = profile;
  for (let attempt = 0; attempt < 5; attempt++) {
    const client = await AgentClient.connect(path, crypto, store.agentKey);
    if (client !== undefined) {
      const connection = new ClientConnection(profile, client);
      if (options.listener !== undefined) connection.events.on(options.listener);
      return connection;
    }
    const server = await AgentServer.bind(path, crypto, store.agentKey);
    if (server === undefined) continue; // another process became the owner just now: join it
    try {
      const session = await connect(profile, options);
      server.attach(agentHandler(session));
      return new OwnerConnection(session, server, options.periodicMaintenance === true);
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  throw new CliError('CLI_ERR_INTERNAL', `could not settle which process holds the relay connection (${path})`);
}
