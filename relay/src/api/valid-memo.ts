/**
 * Remembers strings an expensive validity check accepted, so a value seen again skips the check.
 * Built for account ids: isAccountId hashes the id (SHA-256) on every call, and the same few ids
 * arrive in frame after frame. Only accepted values are kept, so a rejected value is checked (and
 * rejected) again every time. The memo is capped and drops its oldest entry when full, so a client
 * cycling through fresh ids costs bounded memory and never more than one check per id.
 */
export class ValidMemo {
  private readonly accepted = new Set<string>();

  constructor(
    private readonly check: (text: string) => boolean,
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.accepted.size;
  }

  test(text: string): boolean {
    if (this.accepted.has(text)) return true;
    if (!this.check(text)) return false;
    // A Set iterates in insertion order: its first value is the oldest.
    if (this.accepted.size >= this.capacity) this.accepted.delete(this.accepted.values().next().value as string);
    this.accepted.add(text);
    return true;
  }
}
