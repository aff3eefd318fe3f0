/**
 * Human-readable output of the admin commands: small aligned tables and ISO times. Scripts use
 * `--json` instead, whose shapes are the AdminService results (docs/self-hosting.md).
 */
import type { AccountDevices, AccountSummary, InviteSummary } from '../services/admin-service.js';

/** An ISO 8601 time, or '-' for never. */
export const isoTime = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

/** Left-aligned columns separated by two spaces, one line per row, header first. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function renderInvites(invites: readonly InviteSummary[]): string {
  if (invites.length === 0) return 'no invites\n';
  return table(
    ['ID', 'STATE', 'USES', 'CREATED', 'EXPIRES', 'LAST USED BY'],
    invites.map((i) => [i.id, i.state, `${i.uses}/${i.maxUses}`, isoTime(i.createdAt), isoTime(i.expiresAt), i.lastUsedBy ?? '-']),
  );
}

export function renderAccounts(accounts: readonly AccountSummary[]): string {
  if (accounts.length === 0) return 'no accounts\n';
  return table(
    ['ACCOUNT', 'USERNAME', 'DEVICES', 'LIST', 'CREATED', 'LAST SEEN'],
    accounts.map((a) => [a.accountId, a.username ?? '-', String(a.devices), `v${a.deviceListVersion}`, isoTime(a.createdAt), isoTime(a.lastSeenAt)]),
  );
}

export function renderDevices(result: AccountDevices): string {
  const name = result.username === null ? '' : ` (${result.username})`;
  let out = `account ${result.accountId}${name}, signed device list v${result.deviceListVersion}\n`;
  out +=
    result.devices.length === 0
      ? 'no devices served\n'
      : table(
          ['DEVICE', 'ADDED IN', 'CREATED', 'LAST SEEN', 'QUEUE', 'ONE-TIME PREKEYS (X25519/KEM)'],
          result.devices.map((d) => [
            String(d.deviceId),
            `v${d.addedInVersion}`,
            isoTime(d.createdAt),
            isoTime(d.lastSeenAt),
            `${d.queue.count} (${d.queue.bytes} B)`,
            `${d.prekeys.oneTimeX25519}/${d.prekeys.oneTimeKem}`,
          ]),
        );
  if (result.hidden.length > 0) out += `hidden (on the signed list, refused by this relay): ${result.hidden.join(', ')}\n`;
  return out;
}
