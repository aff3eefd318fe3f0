/**
 * File names and types of file messages (docs/cli.md "Files").
 *
 * A received name is only the sender's suggestion (docs/media.md "Pointer format"): the pointer
 * decoder already refuses separators, C0/C1 controls, "." and "..", but a name can still be
 * `-rf`, `.bashrc`, carry a right-to-left override that makes `exe.pdf` look like `fdp.exe`, or
 * be a Windows device name. {@link safeFileName} turns any suggestion into a plain name that is
 * safe to create in a directory and to print on a terminal; it is applied once, when the message
 * is stored, so what `history` shows is exactly the name `download` saves under.
 *
 * A name the user types for an outgoing file (`send-file --name`) is not rewritten but refused
 * when unsafe ({@link checkOutgoingName}): silently sending another name would surprise them.
 */
import { CliError } from '../errors.js';

/** Longest name saved (UTF-8 bytes): below NAME_MAX (255) to leave room for a temp suffix. */
export const MAX_SAVED_NAME_BYTES = 200;
/** Extensions kept when a long name is shortened (bytes, dot included). */
const MAX_EXTENSION_BYTES = 16;

// Controls (C0, DEL, C1), Unicode format characters (bidi overrides and isolates, zero-width
// characters), line and paragraph separators, and characters that are unsafe on Windows or in
// shells' globbing: each becomes "_".
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}<>:"|?*\\/]/gu;
// Leading dots (hidden files, "..") and dashes (read as options), and surrounding spaces.
const UNSAFE_START = /^[\s.-]+/u;
// Windows strips trailing dots and spaces, so "x.exe." would become "x.exe" there.
const UNSAFE_END = /[\s.]+$/u;
// Device names that Windows opens as devices whatever the extension.
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

const encoder = new TextEncoder();

function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Cuts `text` to at most `max` UTF-8 bytes on a character boundary. */
function cutBytes(text: string, max: number): string {
  let out = '';
  let size = 0;
  for (const ch of text) {
    const n = byteLength(ch);
    if (size + n > max) break;
    out += ch;
    size += n;
  }
  return out;
}

/**
 * A safe plain file name made from the sender's suggestion: NFC, unsafe characters replaced by
 * "_", no leading dots or dashes, no trailing dots or spaces, not a Windows device
 * name, at most {@link MAX_SAVED_NAME_BYTES} bytes (keeping a short extension). `fallback` is
 * used when nothing is left (e.g. for "" or "...").
 */
export function safeFileName(suggested: string, fallback: string): string {
  let name = suggested.normalize('NFC').replace(UNSAFE_CHARACTERS, '_').replace(UNSAFE_START, '').replace(UNSAFE_END, '');
  if (byteLength(name) > MAX_SAVED_NAME_BYTES) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && byteLength(name.slice(dot)) <= MAX_EXTENSION_BYTES ? name.slice(dot) : '';
    name = cutBytes(name.slice(0, name.length - extension.length), MAX_SAVED_NAME_BYTES - byteLength(extension)).replace(UNSAFE_END, '') + extension;
  }
  if (WINDOWS_DEVICES.test(name)) name = `file-${name}`;
  return name === '' || name.startsWith('.') ? fallback : name;
}

// What an outgoing name must not have: path separators, invisible or control characters, a
// leading "." or "-" (a traversal, a hidden file, an option); Windows-only characters are left
// for the recipient's safeFileName.
const REFUSED_OUTGOING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\/]|^[.-]|^\s|\s$/u;
/** The pointer's limit on file names (docs/media.md "Pointer format"). */
const MAX_SENT_NAME_BYTES = 255;

/** A name quoted for an error message, invisible characters spelled out (\u202e). */
function printable(name: string): string {
  return JSON.stringify(name).replace(/[\p{Cf}\p{Zl}\p{Zp}\u007f-\u009f]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** The name a user gave for an outgoing file (NFC): returned when safe, refused otherwise. */
export function checkOutgoingName(name: string): string {
  const normalized = name.normalize('NFC');
  if (normalized === '' || REFUSED_OUTGOING.test(normalized) || byteLength(normalized) > MAX_SENT_NAME_BYTES) {
    throw new CliError('CLI_ERR_UNSAFE_FILE_NAME', printable(name));
  }
  return normalized;
}

/** Common types by extension; anything else is application/octet-stream (the recipient only shows it). */
const TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  '7z': 'application/x-7z-compressed',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
};

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export function guessContentType(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return DEFAULT_CONTENT_TYPE;
  return TYPES[name.slice(dot + 1).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}
