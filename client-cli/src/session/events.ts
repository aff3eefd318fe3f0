/**
 * Events the session layer reports while connected — what `listen` prints (one JSON object a
 * line with --json), what `chat` shows, and what the local agent forwards to other processes.
 * The shapes are schema v1 of docs/cli.md "Events"; add fields, never change their meaning.
 */
import type { DeliveryState } from '../store/records.js';

export interface DeviceRef {
  readonly accountId: string;
  readonly deviceId: number;
}

/** What events and views show of a file message (never its key or media id). */
export interface FileSummary {
  readonly name: string;
  readonly contentType: string;
  readonly size: number;
}

export type SessionEvent =
  | {
      readonly type: 'message';
      readonly id: string;
      /** 'in': from a contact; 'out': sent by another of our devices (a sync copy). */
      readonly direction: 'in' | 'out';
      /** The conversation: the other party's account id. */
      readonly peer: string;
      readonly peerName: string;
      readonly from: DeviceRef;
      /** The text; empty for a file message. */
      readonly body: string;
      readonly sentAt: number;
      readonly receivedAt: number;
      /** A file message: what it holds (`sealpost download <id>` fetches it). */
      readonly file?: FileSummary;
    }
  | { readonly type: 'receipt'; readonly messageId: string; readonly peer: string; readonly state: DeliveryState; readonly by: DeviceRef; readonly at: number; readonly overall: DeliveryState }
  | { readonly type: 'expired'; readonly messageId: string; readonly peer: string; readonly devices: readonly DeviceRef[]; readonly at: number }
  | { readonly type: 'presence'; readonly peer: string; readonly peerName: string; readonly online: boolean; readonly at: number }
  | { readonly type: 'typing'; readonly peer: string; readonly peerName: string; readonly from: DeviceRef; readonly state: 'started' | 'stopped' }
  | { readonly type: 'sent'; readonly messageId: string; readonly peer: string; readonly sentAt: number }
  | { readonly type: 'drained' }
  | { readonly type: 'connection'; readonly state: 'connected' | 'disconnected'; readonly reason?: string; readonly retryInMs?: number }
  | { readonly type: 'contact'; readonly accountId: string; readonly username: string | null; readonly change: 'added' | 'identity-changed' | 'devices-changed' }
  | { readonly type: 'decrypt-error'; readonly from: DeviceRef; readonly reason: string };

export type SessionEventListener = (event: SessionEvent) => void;
