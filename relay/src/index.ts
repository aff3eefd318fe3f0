/** @sealpost/relay — the Sealpost relay server. */
export {};
