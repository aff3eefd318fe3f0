/**
 * Turns one WebSocket message into a validated client frame, or the RelayError that answers it.
 * The checks run from cheapest to most specific so each kind of bad input gets its own code:
 * binary → RELAY_ERR_BINARY_FRAME, not JSON → RELAY_ERR_MALFORMED_JSON, wrong `v` →
 * RELAY_ERR_UNSUPPORTED_VERSION, unknown `type` → RELAY_ERR_UNKNOWN_FRAME_TYPE, schema →
 * RELAY_ERR_INVALID_REQUEST (with the failing paths, never the values).
 */
import type { RawData } from 'ws';
import { API_VERSION } from '../api/common.js';
import { CLIENT_FRAME_TYPES, clientFrameSchema } from '../api/frames.js';
import type { ClientFrame } from '../api/frames.js';
import { RelayError } from '../errors.js';
import { schemaIssues } from '../http/parse-input.js';

function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export function parseClientFrame(data: RawData, isBinary: boolean): ClientFrame {
  if (isBinary) throw new RelayError('RELAY_ERR_BINARY_FRAME');
  let value: unknown;
  try {
    value = JSON.parse(toText(data));
  } catch {
    throw new RelayError('RELAY_ERR_MALFORMED_JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RelayError('RELAY_ERR_INVALID_REQUEST', 'a frame is a JSON object');
  }
  const { v, type } = value as { v?: unknown; type?: unknown };
  if (v !== API_VERSION) throw new RelayError('RELAY_ERR_UNSUPPORTED_VERSION', undefined, { supported: [API_VERSION] });
  if (typeof type !== 'string' || !(CLIENT_FRAME_TYPES as readonly string[]).includes(type)) {
    throw new RelayError('RELAY_ERR_UNKNOWN_FRAME_TYPE', undefined, { known: [...CLIENT_FRAME_TYPES] });
  }
  const parsed = clientFrameSchema.safeParse(value);
  if (!parsed.success) throw new RelayError('RELAY_ERR_INVALID_REQUEST', `${type} frame`, { issues: schemaIssues(parsed.error) });
  return parsed.data;
}
