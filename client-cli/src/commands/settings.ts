/** `sealpost settings [read-receipts [on|off]]`. */
import type { CommandContext } from '../cli/context.js';
import { withProfile } from '../session/profile.js';
import { readSettings, setReadReceipts } from '../session/settings.js';
import type { SettingsRecord } from '../session/index.js';

function show(ctx: CommandContext, settings: SettingsRecord): void {
  ctx.output.result('settings', { readReceipts: settings.readReceipts }, () => `read-receipts  ${settings.readReceipts ? 'on' : 'off'}`);
}

export async function settingsShowCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, (profile) => show(ctx, readSettings(profile)));
}

export async function settingsReadReceiptsCommand(ctx: CommandContext, args: { state: 'on' | 'off' | undefined }): Promise<void> {
  await withProfile(ctx, (profile) => show(ctx, args.state === undefined ? readSettings(profile) : setReadReceipts(profile, args.state === 'on')));
}
