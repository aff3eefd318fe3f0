/**
 * A throwaway certificate authority and a server certificate it signs (selfsigned, P-256), made
 * afresh for each test file. The server certificate names 127.0.0.1, ::1, localhost and
 * push.sealpost.test. In-process tests trust the CA by handing it to the push agent (`ca`);
 * the child-process test trusts it the standard Node way, NODE_EXTRA_CA_CERTS.
 */
import selfsigned from 'selfsigned';

export interface TestCa {
  /** PEM of the CA certificate: what a client must trust. */
  readonly caCert: string;
  /** PEM key and certificate for the HTTPS push service. */
  readonly serverKey: string;
  readonly serverCert: string;
}

export const TEST_PUSH_HOST = 'push.sealpost.test';

export async function makeTestCa(): Promise<TestCa> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 24 * 3600_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Sealpost push test CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: TEST_PUSH_HOST },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, serverKey: server.private, serverCert: server.cert };
}
