/** `sealpost init --relay URL [--username NAME] [--device-name NAME]`. */
import { hostname } from 'node:os';
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../errors.js';
import { contactLink } from '../session/contact-directory.js';
import { initProfile } from '../session/registration.js';
import type { KdfPreset } from '../session/index.js';

/** The relay's origin (scheme, host, port): routes are absolute, so a path would be ignored. */
export function normalizeRelayUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('CLI_ERR_INVALID_ARGUMENT', `--relay "${text}" is not a URL (e.g. https://relay.example)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError('CLI_ERR_INVALID_ARGUMENT', `--relay must be an http(s) URL, got ${url.protocol}`);
  return url.origin;
}

export async function initCommand(ctx: CommandContext, args: { relay: string; username?: string; deviceName?: string; kdf?: KdfPreset }): Promise<void> {
  const relayUrl = normalizeRelayUrl(args.relay);
  const deviceName = args.deviceName ?? hostname();
  ctx.output.progress(`Registering with ${relayUrl}…`);
  const { identity, prekeys } = await initProfile(ctx, { relayUrl, username: args.username, deviceName }, args.kdf);
  ctx.output.result(
    'init',
    { accountId: identity.accountId, username: identity.username, deviceId: identity.deviceId, deviceName: identity.deviceName, relay: identity.relayUrl, link: contactLink(identity.accountId), prekeys: { oneTimeX25519: prekeys.oneTimeX25519, oneTimeKem: prekeys.oneTimeKem } },
    (c) =>
      [
        `${c.green('Registered.')} Account ${c.bold(identity.accountId)}${identity.username === null ? '' : ` (@${identity.username})`}, device ${identity.deviceId} "${identity.deviceName}".`,
        `Others can add you with: sealpost contact add ${identity.username ?? contactLink(identity.accountId)}`,
      ].join('\n'),
  );
}
