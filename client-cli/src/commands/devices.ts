/** `sealpost devices [remove ID]`: this account's devices, from its signed device list. */
import type { CommandContext } from '../cli/context.js';
import { isCliError } from '../errors.js';
import { listOwnDevices, removeOwnDevice } from '../session/devices.js';
import { withProfile } from '../session/profile.js';
import { signedInHttp } from '../session/signed-http.js';

type Listing = Awaited<ReturnType<typeof listOwnDevices>>;

function show(ctx: CommandContext, type: string, listing: Listing): void {
  ctx.output.result(type, { listVersion: listing.version, devices: listing.devices }, (c) =>
    [
      c.dim(`device list version ${listing.version}`),
      ...listing.devices.map((d) => `${String(d.deviceId).padStart(4)}  ${c.dim(d.keyId)}${d.current ? `  ${c.green('(this device)')}` : ''}`),
    ].join('\n'),
  );
}

export async function devicesListCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, async (profile) => {
    let http;
    try {
      http = await signedInHttp(profile);
    } catch (error) {
      if (!isCliError(error) || error.code !== 'CLI_ERR_RELAY_UNREACHABLE') throw error;
      ctx.output.warn('the relay is unreachable; showing the stored device list');
    }
    show(ctx, 'devices', await listOwnDevices(profile, http));
  });
}

export async function devicesRemoveCommand(ctx: CommandContext, args: { deviceId: number }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    show(ctx, 'devices', await removeOwnDevice(profile, await signedInHttp(profile), args.deviceId, ctx.now()));
  });
}
