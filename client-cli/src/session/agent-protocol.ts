/**
 * The local agent protocol (docs/cli.md "Several processes, one profile"). The relay keeps one
 * live connection per device, so the process that holds it (the owner: `listen`, `chat`, or any
 * command while it runs) serves the others of the same profile over a Unix socket in the
 * profile's private runtime directory, instead of each opening its own and knocking the others
 * off.
 *
 * Newline-delimited JSON. Both sides prove they know the store's agent key (derived from the
 * passphrase) before anything else, so a process without the passphrase can neither send
 * through the owner nor pose as one to capture what a client sends:
 *
 *   owner → client  {"t":"challenge","nonce":N_s}
 *   client → owner  {"t":"auth","nonce":N_c,"proof":HMAC(k, "client" || N_s || N_c)}
 *   owner → client  {"t":"ready","proof":HMAC(k, "owner" || N_s || N_c)}
 *   client → owner  {"t":"send","rid":1,"contact":"sp1…","body":"…"} | {"t":"send-file","rid":…,"contact":…,"pointer":"<b64>"}
 *                   | {"t":"typing",…} | {"t":"flush-read","rid":…}
 *
 * A client uploads a file itself (plain HTTP, which does not disturb the owner's connection) and
 * only hands the finished pointer to the owner to send.
 *   owner → client  {"t":"result","rid":1,"ok":true,"message":{…}} | {"t":"result","rid":1,"ok":false,"error":{…}}
 *   owner → client  {"t":"event","event":{…}}   (every session event, as `listen` sees it)
 */
import type { CryptoSuite } from '@sealpost/crypto';
import { constantTimeEqual } from '@sealpost/crypto/public';
import { CliError, isCliError, type CliErrorCode, CLI_ERRORS } from '../errors.js';
import { RelayRefusal, relayRefusalToCliError } from '../transport/relay-errors.js';
import { fromB64, toB64 } from './encoding.js';

export const AGENT_NONCE_BYTES = 32;
/** Longest line either side accepts (a message body is at most ~60k characters). */
export const MAX_AGENT_LINE = 1_000_000;

export type ClientRequest =
  | { readonly t: 'send'; readonly rid: number; readonly contact: string; readonly body: string }
  | { readonly t: 'send-file'; readonly rid: number; readonly contact: string; readonly pointer: string }
  | { readonly t: 'typing'; readonly rid: number; readonly contact: string; readonly state: 'started' | 'stopped' }
  | { readonly t: 'flush-read'; readonly rid: number };

export interface SerializedError {
  readonly code: string;
  readonly detail?: string;
  readonly data?: Record<string, unknown>;
}

function proof(suite: Pick<CryptoSuite, 'hmacSha256'>, key: Uint8Array, role: 'client' | 'owner', ownerNonce: string, clientNonce: string): Uint8Array {
  return suite.hmacSha256(key, new TextEncoder().encode(`sealpost agent v1\0${role}\0${ownerNonce}\0${clientNonce}`));
}

export function makeProof(suite: Pick<CryptoSuite, 'hmacSha256'>, key: Uint8Array, role: 'client' | 'owner', ownerNonce: string, clientNonce: string): string {
  return toB64(proof(suite, key, role, ownerNonce, clientNonce));
}

export function checkProof(suite: Pick<CryptoSuite, 'hmacSha256'>, key: Uint8Array, role: 'client' | 'owner', ownerNonce: string, clientNonce: string, given: unknown): boolean {
  return typeof given === 'string' && constantTimeEqual(proof(suite, key, role, ownerNonce, clientNonce), fromB64(given));
}

export function serializeError(error: unknown): SerializedError {
  const cli = isCliError(error) ? error : error instanceof RelayRefusal ? relayRefusalToCliError(error.info) : new CliError('CLI_ERR_INTERNAL', error instanceof Error ? error.message : String(error));
  return { code: cli.code, ...(cli.detail === undefined ? {} : { detail: cli.detail }), ...(cli.data === undefined ? {} : { data: { ...cli.data } }) };
}

export function deserializeError(error: SerializedError): CliError {
  const code = (Object.hasOwn(CLI_ERRORS, error.code) ? error.code : 'CLI_ERR_INTERNAL') as CliErrorCode;
  return new CliError(code, error.detail, error.data);
}

/** Splits a byte stream into JSON lines; a line over the limit or bad JSON ends the stream. */
export class LineReader {
  private buffer = '';

  constructor(
    private readonly onValue: (value: Record<string, unknown>) => void,
    private readonly onBad: () => void,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\n'); end >= 0; end = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        this.onBad();
        return;
      }
      if (typeof value !== 'object' || value === null) {
        this.onBad();
        return;
      }
      this.onValue(value as Record<string, unknown>);
    }
    if (this.buffer.length > MAX_AGENT_LINE) this.onBad();
  }
}
