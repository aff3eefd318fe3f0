/**
 * The baseline the relay's WebSocket figures are compared with: a bare `ws` forwarder with no
 * authentication, no validation beyond JSON.parse, and no storage. A client names itself in the
 * query string (`?id=NAME`). It answers the same frames as the relay (hello, send → sent and a
 * forwarded message, ack → delivered receipt to the sender) so one load generator drives both;
 * the only state is which socket is whose and, per socket, the unacked seqs it must route
 * receipts for.
 */
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

interface Unacked {
  /** The sender to tell when this entry is acked; null for receipts (nothing to route). */
  readonly from: Peer | null;
  readonly messageId: string;
}

interface Peer {
  readonly id: string;
  readonly ws: WebSocket;
  nextSeq: number;
  readonly unacked: Map<number, Unacked>;
}

interface ClientFrame {
  readonly type?: string;
  readonly clientId?: string;
  readonly to?: string;
  readonly copies?: ReadonlyArray<{ readonly deviceId: number; readonly ciphertext: string }>;
  readonly seqs?: readonly number[];
  readonly id?: string;
}

export function attachBareForwarder(server: Server, path: string): WebSocketServer {
  const peers = new Map<string, Peer>();
  const wss = new WebSocketServer({ server, path, perMessageDeflate: false });
  let messageCounter = 0;

  const onSend = (peer: Peer, frame: ClientFrame) => {
    const messageId = `m${++messageCounter}`;
    const sentAt = Date.now();
    peer.ws.send(JSON.stringify({ v: 1, type: 'sent', clientId: frame.clientId, messageId, sentAt, stored: frame.copies?.length ?? 0, duplicate: false }));
    const target = frame.to === undefined ? undefined : peers.get(frame.to);
    if (target === undefined) return;
    for (const copy of frame.copies ?? []) {
      const seq = target.nextSeq++;
      target.unacked.set(seq, { from: peer, messageId });
      target.ws.send(JSON.stringify({ v: 1, type: 'message', seq, messageId, from: { accountId: peer.id, deviceId: 1 }, sentAt, ciphertext: copy.ciphertext }));
    }
  };

  const onAck = (peer: Peer, frame: ClientFrame) => {
    // One receipt per sender per ack frame, as the relay batches them.
    const bySender = new Map<Peer, string[]>();
    for (const seq of frame.seqs ?? []) {
      const entry = peer.unacked.get(seq);
      if (entry === undefined) continue;
      peer.unacked.delete(seq);
      if (entry.from === null) continue;
      const ids = bySender.get(entry.from) ?? [];
      ids.push(entry.messageId);
      bySender.set(entry.from, ids);
    }
    const at = Date.now();
    for (const [sender, messageIds] of bySender) {
      const seq = sender.nextSeq++;
      sender.unacked.set(seq, { from: null, messageId: '' });
      sender.ws.send(JSON.stringify({ v: 1, type: 'receipt', seq, kind: 'delivered', by: { accountId: peer.id, deviceId: 1 }, messageIds, at }));
    }
  };

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const id = new URL(request.url ?? '/', 'http://bare').searchParams.get('id') ?? `anon-${peers.size}`;
    const peer: Peer = { id, ws, nextSeq: 1, unacked: new Map() };
    peers.set(id, peer);
    ws.on('error', () => {});
    ws.on('close', () => {
      if (peers.get(id) === peer) peers.delete(id);
    });
    ws.on('message', (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(data.toString()) as ClientFrame;
      } catch {
        return;
      }
      if (frame.type === 'send') onSend(peer, frame);
      else if (frame.type === 'ack') onAck(peer, frame);
      else if (frame.type === 'ping') ws.send(JSON.stringify({ v: 1, type: 'pong', id: frame.id }));
    });
    ws.send(JSON.stringify({ v: 1, type: 'hello', accountId: id, deviceId: 1, connectionId: id, window: 64, heartbeatIntervalMs: 30_000, maxFrameBytes: 4_194_304, maxEnvelopeBytes: 65_536 }));
  });
  return wss;
}
