// File names of file messages: what arrives is made safe to save and to show; what a user types
// for an outgoing file is refused when unsafe; types follow the extension.
import { encodeMediaPointer, mediaCiphertextSize, type MediaPointer } from '@sealpost/crypto';
import { describe, expect, it } from 'vitest';
import { toB64 } from '../../src/session/encoding.js';
import { attachmentFromWire, fallbackFileName } from '../../src/session/file-attachment.js';
import { checkOutgoingName, guessContentType, MAX_SAVED_NAME_BYTES, safeFileName } from '../../src/session/file-names.js';

const bytes = (text: string): number => new TextEncoder().encode(text).length;

function pointerWithName(fileName: string): MediaPointer {
  return { mediaId: 'media-id-0123456789', key: new Uint8Array(32).fill(1), digest: new Uint8Array(32).fill(2), plaintextSize: 10, ciphertextSize: mediaCiphertextSize(10, true), fileName, contentType: 'text/plain' };
}

describe('safeFileName (names as received)', () => {
  it('keeps plain names as they are', () => {
    for (const name of ['report.pdf', 'Überweisung 2026.pdf', '写真.jpg', 'a_b-c.tar.gz', '_private']) expect(safeFileName(name, 'x')).toBe(name);
  });

  it('removes what hides a file or poses as an option, and spells nothing invisible', () => {
    expect(safeFileName('.bashrc', 'x')).toBe('bashrc');
    expect(safeFileName('..hidden', 'x')).toBe('hidden');
    expect(safeFileName('-rf', 'x')).toBe('rf');
    expect(safeFileName('--help.txt', 'x')).toBe('help.txt');
    expect(safeFileName('  spaced .txt. ', 'x')).toBe('spaced .txt');
    // A right-to-left override would show "invoice_exe.pdf"-like spoofs: replaced, like zero-width characters.
    expect(safeFileName('invoice\u202Efdp.exe', 'x')).toBe('invoice_fdp.exe');
    expect(safeFileName('a\u200Bb', 'x')).toBe('a_b');
    expect(safeFileName('tab\there', 'x')).toBe('tab_here');
    expect(safeFileName('what?<>:"|*.txt', 'x')).toBe('what_______.txt');
    expect(safeFileName('CON', 'x')).toBe('file-CON');
    expect(safeFileName('nul.txt', 'x')).toBe('file-nul.txt');
  });

  it('falls back when nothing is left, and shortens long names keeping the extension', () => {
    for (const name of ['', '.', '..', '...', '-', ' . ']) expect(safeFileName(name, 'sealpost-file-abc')).toBe('sealpost-file-abc');
    const long = safeFileName(`${'é'.repeat(200)}.pdf`, 'x');
    expect(bytes(long)).toBeLessThanOrEqual(MAX_SAVED_NAME_BYTES);
    expect(long.endsWith('.pdf')).toBe(true);
    expect(long.startsWith('éé')).toBe(true);
  });

  it('is what a received pointer becomes; a pointer with a path in its name is refused outright', () => {
    expect(attachmentFromWire(toB64(encodeMediaPointer(pointerWithName('-rf'))), 'm1')).toMatchObject({ name: 'rf', contentType: 'text/plain', size: 10 });
    expect(attachmentFromWire(toB64(encodeMediaPointer(pointerWithName('..x'))), 'm1').name).toBe('x');
    expect(attachmentFromWire(toB64(encodeMediaPointer(pointerWithName(''))), 'm1').name).toBe(fallbackFileName('m1'));
    // The pointer encoder itself refuses separators; a hand-made pointer with one is refused on arrival.
    const honest = encodeMediaPointer(pointerWithName('ab.txt'));
    const crafted = Uint8Array.from(honest);
    const at = Buffer.from(crafted).indexOf('ab.txt');
    crafted[at] = '/'.charCodeAt(0);
    expect(() => attachmentFromWire(toB64(crafted), 'm1')).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_INVALID_ENCODING' }));
  });
});

describe('checkOutgoingName (names a user gives)', () => {
  it('accepts plain names, NFC-normalised', () => {
    expect(checkOutgoingName('notes.txt')).toBe('notes.txt');
    expect(checkOutgoingName('re\u0301sume\u0301.pdf')).toBe('résumé.pdf');
    expect(checkOutgoingName('Q1: plan.pdf')).toBe('Q1: plan.pdf');
  });

  it('refuses traversal, hidden or option-like names, invisible characters and over-long names', () => {
    for (const name of ['../../etc/passwd', 'a/b', 'a\\b', '..', '.', '.profile', '-rf', '', ' x', 'x ', 'a\nb', 'a\u202Eb', 'x'.repeat(256)]) {
      expect(() => checkOutgoingName(name), JSON.stringify(name)).toThrow(expect.objectContaining({ code: 'CLI_ERR_UNSAFE_FILE_NAME' }));
    }
  });

  it('names the refused name with invisible characters spelled out', () => {
    expect(() => checkOutgoingName('a\u202Eb')).toThrow(/"a\\u202eb"/);
  });
});

describe('guessContentType', () => {
  it('maps common extensions, case-insensitively, and falls back to octet-stream', () => {
    expect(guessContentType('report.PDF')).toBe('application/pdf');
    expect(guessContentType('notes.txt')).toBe('text/plain; charset=utf-8');
    expect(guessContentType('archive.tar.gz')).toBe('application/gzip');
    expect(guessContentType('Makefile')).toBe('application/octet-stream');
    expect(guessContentType('x.unknownext')).toBe('application/octet-stream');
  });
});
