/** @sealpost/relay/api — the relay's wire contract (schemas and types, no server code) for clients. */
export {};
