/** The logger censors sensitive fields even if one slips into a log object. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/create-logger.js';

describe('createLogger', () => {
  it('redacts tokens, signatures, keys and payloads at the top level and one level down', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ token: 'T0K3N', ciphertext: 'C1PH3R', nested: { signature: 'S1G', accountKey: 'K3Y', deviceId: 3 }, req: { headers: { authorization: 'Bearer SECRET' } } }, 'x');
    const text = lines.join('');
    for (const secret of ['T0K3N', 'C1PH3R', 'S1G', 'K3Y', 'SECRET']) expect(text).not.toContain(secret);
    expect(text).toContain('"deviceId":3');
    expect(text).toContain('[redacted]');
  });
});
