/**
 * @sealpost/crypto/public — public structures only: encodings and signature checks of device
 * certificates, device lists, signed prekeys and relay auth challenges. This is all the relay may
 * import from the crypto package; nothing reachable from here can decrypt (a lint rule enforces it).
 */
export {};
