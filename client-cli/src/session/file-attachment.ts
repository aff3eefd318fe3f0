/**
 * File messages' attachments: the media pointer (docs/media.md "Pointer format") that travels in
 * a `file` message, and the record the store keeps for it — the encoded pointer plus the safe
 * name, type and size shown by `history`, `receive` and `listen`.
 */
import { decodeMediaPointer, encodeMediaPointer, type MediaPointer } from '@sealpost/crypto';
import type { FileAttachment } from '../store/records.js';
import { fromB64, toB64 } from './encoding.js';
import type { FileSummary } from './events.js';
import { safeFileName } from './file-names.js';

/** The name to save under when the sender gave none (or nothing safe was left of it). */
export function fallbackFileName(messageId: string): string {
  return `sealpost-file-${messageId}`;
}

export function attachmentOf(pointer: MediaPointer, messageId: string): FileAttachment {
  return {
    pointer: toB64(encodeMediaPointer(pointer)),
    name: safeFileName(pointer.fileName, fallbackFileName(messageId)),
    contentType: pointer.contentType,
    size: pointer.plaintextSize,
  };
}

/** A received pointer: decoded strictly; throws CryptoError when it is malformed. */
export function attachmentFromWire(pointer: string, messageId: string): FileAttachment {
  return attachmentOf(decodeMediaPointer(fromB64(pointer)), messageId);
}

export function pointerOf(file: FileAttachment): MediaPointer {
  return decodeMediaPointer(fromB64(file.pointer));
}

/** What is shown of an attachment (no pointer: it holds the file key). */
export function fileSummary(file: FileAttachment): FileSummary {
  return { name: file.name, contentType: file.contentType, size: file.size };
}
