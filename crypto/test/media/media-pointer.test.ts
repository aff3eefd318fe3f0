import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../src/public/bytes-io.js';
import { decodeMediaPointer, encodeMediaPointer, toMediaFileName, type MediaPointer } from '../../src/media/media-pointer.js';
import { mediaCiphertextSize } from '../../src/media/media-size.js';
import { expectCode, pattern } from './fixtures.js';

const base: MediaPointer = {
  mediaId: 'AbC-_0123456789abcdefghijklmnopqrstuvwxyzABCD',
  key: pattern(32, 1),
  digest: pattern(32, 2),
  plaintextSize: 5000,
  ciphertextSize: mediaCiphertextSize(5000, true),
  fileName: 'Ünïcödé report 📄.pdf',
  contentType: 'application/pdf',
};

/** Builds pointer bytes by hand, field by field, so the decoder can be fed what the encoder refuses. */
function raw(fields: { version?: number; id?: Uint8Array; name?: Uint8Array; type?: Uint8Array; plaintextSize?: number; ciphertextSize?: number; nameLength?: number }): Uint8Array {
  const id = fields.id ?? new TextEncoder().encode(base.mediaId);
  const name = fields.name ?? new TextEncoder().encode('a.txt');
  const type = fields.type ?? new TextEncoder().encode('text/plain');
  return new ByteWriter()
    .u8(fields.version ?? 1)
    .raw(base.key)
    .raw(base.digest)
    .u64(fields.plaintextSize ?? 10)
    .u64(fields.ciphertextSize ?? mediaCiphertextSize(fields.plaintextSize ?? 10))
    .u8(id.length)
    .raw(id)
    .u16(fields.nameLength ?? name.length)
    .raw(name)
    .u8(type.length)
    .raw(type)
    .finish();
}

describe('media pointer', () => {
  it('round-trips and lays out the fields as documented', () => {
    const bytes = encodeMediaPointer(base);
    expect(decodeMediaPointer(bytes)).toEqual(base);
    expect(bytes[0]).toBe(0x01);
    expect(bytes.subarray(1, 33)).toEqual(base.key);
    expect(bytes.subarray(33, 65)).toEqual(base.digest);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(Number(view.getBigUint64(65))).toBe(5000);
    expect(Number(view.getBigUint64(73))).toBe(base.ciphertextSize);
    expect(bytes[81]).toBe(base.mediaId.length);
    const nameLength = new TextEncoder().encode(base.fileName).length;
    expect(view.getUint16(82 + base.mediaId.length)).toBe(nameLength);
    expect(bytes.length).toBe(82 + base.mediaId.length + 2 + nameLength + 1 + base.contentType.length);
  });

  it('accepts the unpadded size, an empty name and a content type with parameters', () => {
    const p = { ...base, ciphertextSize: mediaCiphertextSize(5000), fileName: '', contentType: 'text/plain; charset=utf-8' };
    expect(decodeMediaPointer(encodeMediaPointer(p))).toEqual(p);
    expect(decodeMediaPointer(raw({}))).toMatchObject({ fileName: 'a.txt', plaintextSize: 10 });
  });

  it('round-trips random valid pointers (property)', () => {
    const safeName = fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => toMediaFileName(s) === s && new TextEncoder().encode(s).length <= 255);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,128}$/),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 2 ** 48 }),
        fc.boolean(),
        safeName,
        (mediaId, key, digest, size, padded, fileName) => {
          const p: MediaPointer = { mediaId, key, digest, plaintextSize: size, ciphertextSize: mediaCiphertextSize(size, padded), fileName, contentType: 'image/png' };
          expect(decodeMediaPointer(encodeMediaPointer(p))).toEqual(p);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every truncation and trailing bytes', () => {
    const bytes = encodeMediaPointer(base);
    for (let n = 0; n < bytes.length; n++) expectCode(() => decodeMediaPointer(bytes.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING', `prefix ${n}`);
    expectCode(() => decodeMediaPointer(Uint8Array.of(...bytes, 0)), 'CRYPTO_ERR_INVALID_ENCODING', 'trailing');
  });

  it('refuses an unknown version', () => {
    expectCode(() => decodeMediaPointer(raw({ version: 2 })), 'CRYPTO_ERR_UNSUPPORTED_VERSION', 'v2');
  });

  it('limits the file name to 255 UTF-8 bytes of well-formed text without controls or separators', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(decodeMediaPointer(raw({ name: enc('x'.repeat(255)) })).fileName.length).toBe(255);
    expect(decodeMediaPointer(raw({ name: enc('é'.repeat(127) + 'x') })).fileName).toBe('é'.repeat(127) + 'x');
    const bad: Array<[string, Uint8Array]> = [
      ['256 bytes', enc('x'.repeat(256))],
      ['254 + 2-byte char', enc('x'.repeat(254) + 'é')],
      ['invalid byte', Uint8Array.of(0x61, 0xff)],
      ['overlong', Uint8Array.of(0xc0, 0xaf)],
      ['encoded surrogate', Uint8Array.of(0xed, 0xa0, 0x80)],
      ['cut sequence', Uint8Array.of(0xe2, 0x82)],
      ['newline', enc('a\nb')],
      ['escape', enc('a\u001b[31mb')],
      ['DEL', enc('a\u007f')],
      ['C1', enc('a\u0085')],
      ['slash', enc('../etc/passwd')],
      ['backslash', enc('a\\b')],
      ['dot', enc('.')],
      ['dotdot', enc('..')],
    ];
    for (const [label, name] of bad) expectCode(() => decodeMediaPointer(raw({ name })), 'CRYPTO_ERR_INVALID_ENCODING', label);
    expectCode(() => encodeMediaPointer({ ...base, fileName: 'x'.repeat(256) }), 'CRYPTO_ERR_INVALID_PARAMETER', 'encode long');
    expectCode(() => encodeMediaPointer({ ...base, fileName: 'a\uD800b' }), 'CRYPTO_ERR_INVALID_PARAMETER', 'encode lone surrogate');
    expectCode(() => encodeMediaPointer({ ...base, fileName: 'dir/file' }), 'CRYPTO_ERR_INVALID_PARAMETER', 'encode slash');
  });

  it('limits the media id and content type to their grammars', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(decodeMediaPointer(raw({ id: enc('x'.repeat(128)) })).mediaId.length).toBe(128);
    for (const [label, id] of [['empty', ''], ['129', 'x'.repeat(129)], ['padding', 'abc='], ['slash', 'a/b'], ['space', 'a b']] as const) {
      expectCode(() => decodeMediaPointer(raw({ id: enc(id) })), 'CRYPTO_ERR_INVALID_ENCODING', `id ${label}`);
      expectCode(() => encodeMediaPointer({ ...base, mediaId: id }), 'CRYPTO_ERR_INVALID_PARAMETER', `encode id ${label}`);
    }
    expectCode(() => decodeMediaPointer(raw({ id: Uint8Array.of(0x61, 0xe9) })), 'CRYPTO_ERR_INVALID_ENCODING', 'id latin1');
    for (const type of ['', 'text', 'text/', '/plain', 'text/plain\n', 'tëxt/plain', 'text/plain;\u0001']) {
      expectCode(() => decodeMediaPointer(raw({ type: enc(type) })), 'CRYPTO_ERR_INVALID_ENCODING', `type ${JSON.stringify(type)}`);
    }
    expect(decodeMediaPointer(raw({ type: enc('application/vnd.api+json') })).contentType).toBe('application/vnd.api+json');
  });

  it('refuses sizes that do not fit together or exceed 2^48', () => {
    expectCode(() => decodeMediaPointer(raw({ plaintextSize: 10, ciphertextSize: 45 })), 'CRYPTO_ERR_INVALID_ENCODING', 'off by one');
    expectCode(() => decodeMediaPointer(raw({ plaintextSize: 2 ** 48 + 1, ciphertextSize: 2 ** 50 })), 'CRYPTO_ERR_INVALID_ENCODING', 'too big');
    expectCode(() => encodeMediaPointer({ ...base, ciphertextSize: base.ciphertextSize + 1 }), 'CRYPTO_ERR_INVALID_PARAMETER', 'encode mismatch');
    expectCode(() => encodeMediaPointer({ ...base, key: new Uint8Array(31) }), 'CRYPTO_ERR_INVALID_LENGTH', 'encode key');
    expectCode(() => encodeMediaPointer({ ...base, digest: new Uint8Array(33) }), 'CRYPTO_ERR_INVALID_LENGTH', 'encode digest');
  });

  it('toMediaFileName turns any name into one the pointer accepts', () => {
    expect(toMediaFileName('/home/me/photo.jpg')).toBe('photo.jpg');
    expect(toMediaFileName('C:\\Users\\me\\a.txt')).toBe('a.txt');
    expect(toMediaFileName('bad\nname\u001b.txt')).toBe('bad_name_.txt');
    expect(toMediaFileName('..')).toBe('');
    expect(toMediaFileName('a\uD800')).toBe('a_');
    const long = toMediaFileName('é'.repeat(200));
    expect(new TextEncoder().encode(long).length).toBe(254);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (name) => {
        const safe = toMediaFileName(name);
        expect(decodeMediaPointer(encodeMediaPointer({ ...base, fileName: safe })).fileName).toBe(safe);
      }),
      { numRuns: 300 },
    );
  });
});
