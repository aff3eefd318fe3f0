/** fast-check model of a hostile network for ratchet and session property tests. */
import fc from 'fast-check';

/** One step of a hostile network: parties send, the network delivers, delays, drops, duplicates or corrupts. */
export type NetworkOp =
  | { readonly kind: 'send'; readonly from: 0 | 1 }
  | { readonly kind: 'deliver'; readonly pick: number }
  | { readonly kind: 'duplicate'; readonly pick: number }
  | { readonly kind: 'drop'; readonly pick: number }
  | { readonly kind: 'tamper'; readonly pick: number; readonly bit: number };

export const networkOp: fc.Arbitrary<NetworkOp> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tamper' as const), pick: fc.nat(), bit: fc.nat() }) },
);
