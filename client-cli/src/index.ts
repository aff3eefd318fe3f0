/** @sealpost/cli — the reference command-line client. */
export {};
