/** The goals of issue 2 for `npm run bench:crypto`, shared by its printer and by run-all. */
export const CRYPTO_GOALS = { handshakesPerSecond: 500, sameChainMessagesPerSecond: 30_000, maxRatio: 2 } as const;
