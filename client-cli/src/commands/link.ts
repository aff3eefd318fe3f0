/**
 * `sealpost link new` (on a device holding the account key) and `sealpost link accept CODE` (on
 * the new device). The user carries two codes between them — never a private key:
 *
 *   1. `link new` reserves the next device id and shows an offer code (and a QR code on a terminal),
 *      then waits for the answer code on stdin.
 *   2. `link accept OFFER` creates the new profile and its keys, shows an answer code (the public
 *      keys, bound to the offer), and waits until the old device has listed it.
 *   3. The answer entered into `link new` is checked, and a new signed device list with the new
 *      device is uploaded; `link accept` then signs in and uploads its prekeys.
 *
 * With --json each side prints one object when it shows its code and one when it is done.
 */
import { hostname } from 'node:os';
import { createInterface } from 'node:readline';
import type { CommandContext } from '../cli/context.js';
import { CliError } from '../errors.js';
import { decodeAnswer, decodeOffer, encodeAnswer, encodeOffer, newPairingSecret } from '../session/link-codes.js';
import { addDeviceToAccount, joinWhenListed, newDeviceKeys, nextDeviceId } from '../session/linking.js';
import { createProfile, discardStore, withProfile } from '../session/profile.js';
import { signedInHttp } from '../session/signed-http.js';
import type { KdfPreset } from '../session/index.js';
import { toQrText } from './qr.js';

/** The first line typed or piped on stdin, or CLI_ERR_TIMEOUT at the deadline. */
function readLine(ctx: CommandContext, deadline: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: ctx.io.stdin as unknown as NodeJS.ReadableStream, terminal: false });
    const timer = setTimeout(() => finish(() => reject(new CliError('CLI_ERR_TIMEOUT', 'no answer code was entered in time'))), Math.max(0, deadline - Date.now()));
    let done = false;
    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      lines.close();
      outcome();
    };
    lines.on('line', (line: string) => {
      if (line.trim() !== '') finish(() => resolve(line.trim()));
    });
    lines.on('close', () => finish(() => reject(new CliError('CLI_ERR_INVALID_ARGUMENT', 'stdin ended before the answer code was entered'))));
  });
}

export async function linkNewCommand(ctx: CommandContext, args: { timeout: number }): Promise<void> {
  const deadline = Date.now() + args.timeout * 1000;
  await withProfile(ctx, async (profile) => {
    const me = profile.identity();
    const http = await signedInHttp(profile);
    const offer = { relayUrl: me.relayUrl, accountId: me.accountId, deviceId: await nextDeviceId(profile, http), secret: newPairingSecret(profile.crypto) };
    const code = encodeOffer(offer);
    const qr = !ctx.output.json && ctx.io.stdout.isTTY === true ? await toQrText(code) : '';
    ctx.output.result('link-offer', { code, deviceId: offer.deviceId, expiresAt: deadline }, () =>
      [`On the new device run:`, `  sealpost link accept ${code}`, ...(qr === '' ? [] : [qr])].join('\n'),
    );
    if (ctx.io.stdin.isTTY === true) ctx.output.note('Then paste the code it shows here and press Enter:');
    const keys = decodeAnswer(profile.crypto, offer, await readLine(ctx, deadline));
    const { deviceId, list } = await addDeviceToAccount(profile, http, keys, ctx.now(), offer.deviceId);
    ctx.output.result('link', { deviceId, listVersion: list.version, devices: list.devices.map((d) => d.deviceId) }, (c) =>
      c.green(`Device ${deviceId} added (device list version ${list.version}). It finishes setting up by itself.`),
    );
  });
}

export async function linkAcceptCommand(ctx: CommandContext, args: { code: string; deviceName?: string; timeout?: number; kdf?: KdfPreset }): Promise<void> {
  const offer = decodeOffer(args.code);
  const deadline = Date.now() + (args.timeout ?? 300) * 1000;
  const profile = await createProfile(ctx, args.kdf);
  let joined = false;
  try {
    const keys = newDeviceKeys(profile);
    const answer = encodeAnswer(profile.crypto, offer, keys);
    const qr = !ctx.output.json && ctx.io.stdout.isTTY === true ? await toQrText(answer) : '';
    ctx.output.result('link-answer', { code: answer, accountId: offer.accountId, deviceId: offer.deviceId }, () =>
      [`Enter this code on the other device (where \`sealpost link new\` waits):`, `  ${answer}`, ...(qr === '' ? [] : [qr])].join('\n'),
    );
    ctx.output.progress('Waiting for the other device…');
    const identity = await joinWhenListed(
      profile,
      { relayUrl: offer.relayUrl, accountId: offer.accountId, deviceId: offer.deviceId, keys, deviceName: args.deviceName ?? hostname(), now: ctx.now() },
      deadline,
    );
    joined = true;
    ctx.output.result('link-accepted', { accountId: identity.accountId, username: identity.username, deviceId: identity.deviceId, deviceName: identity.deviceName, relay: identity.relayUrl }, (c) =>
      c.green(`Linked: this is device ${identity.deviceId} of ${identity.username ?? identity.accountId}.`),
    );
  } finally {
    profile.close();
    // A profile that never joined holds nothing of value: remove it so `link accept` can be retried.
    if (!joined) discardStore(profile.paths);
  }
}
