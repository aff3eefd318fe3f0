import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../../src/public/bytes-io.js';
import { expectCode } from './fixtures.js';

describe('ByteWriter / ByteReader', () => {
  it('round-trips every field kind big-endian', () => {
    const bytes = new ByteWriter().u8(0xab).u16(0x1234).u32(0xdeadbeef).u64(2 ** 53 - 1).bytes16(Uint8Array.of(1, 2)).bytes32(Uint8Array.of(3)).raw(Uint8Array.of(9)).finish();
    expect(Array.from(bytes.subarray(0, 7))).toEqual([0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef]);
    const r = new ByteReader(bytes, 'test');
    expect(r.u8('a')).toBe(0xab);
    expect(r.u16('b')).toBe(0x1234);
    expect(r.u32('c')).toBe(0xdeadbeef);
    expect(r.u64('d')).toBe(2 ** 53 - 1);
    expect(r.bytes16('e')).toEqual(Uint8Array.of(1, 2));
    expect(r.bytes32('f', 10)).toEqual(Uint8Array.of(3));
    expect(r.raw(1, 'g')).toEqual(Uint8Array.of(9));
    expect(r.remaining).toBe(0);
    r.end();
  });

  it('refuses out-of-range values when writing', () => {
    expect(() => new ByteWriter().u8(256)).toThrow(RangeError);
    expect(() => new ByteWriter().u16(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().u32(2 ** 32)).toThrow(RangeError);
    expect(() => new ByteWriter().u64(2 ** 53)).toThrow(RangeError);
    expect(() => new ByteWriter().u32(1.5)).toThrow(RangeError);
  });

  it('names the field where input runs out, refuses trailing bytes, oversized lengths and u64 above 2^53-1', () => {
    expect(() => new ByteReader(Uint8Array.of(1), 'thing').u16('count')).toThrow(/thing: truncated at count/);
    expectCode(() => new ByteReader(Uint8Array.of(1, 2), 'x').u32('n'), 'CRYPTO_ERR_INVALID_ENCODING');
    const trailing = new ByteReader(Uint8Array.of(1, 2), 'x');
    trailing.u8('a');
    expectCode(() => trailing.end(), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => new ByteReader(Uint8Array.of(0, 3, 1, 2, 3), 'x').bytes16('v', 2), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => new ByteReader(new Uint8Array(8).fill(0xff), 'x').u64('t'), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => new ByteReader(Uint8Array.of(0, 0x20, 0, 0, 0, 0, 0, 0), 'x').u64('t'), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('raw() returns a copy the caller may keep', () => {
    const input = Uint8Array.of(5, 6);
    const out = new ByteReader(input, 'x').raw(2, 'v');
    input[0] = 0;
    expect(out).toEqual(Uint8Array.of(5, 6));
  });
});
