/** `sealpost whoami`: who this profile is, without touching the network. */
import type { CommandContext } from '../cli/context.js';
import { accountFingerprint } from '../session/fingerprint.js';
import { withProfile } from '../session/profile.js';

export async function whoamiCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, (profile) => {
    const me = profile.identity();
    const fingerprint = accountFingerprint(profile, me);
    const { opsLimit, memLimitBytes } = profile.store.kdf;
    ctx.output.result(
      'whoami',
      { accountId: me.accountId, username: me.username, deviceId: me.deviceId, deviceName: me.deviceName, relay: me.relayUrl, fingerprint, profile: profile.paths.label, kdf: { algorithm: 'argon2id', opsLimit, memLimitBytes } },
      (c) =>
        [
          `account      ${c.bold(me.accountId)}`,
          `username     ${me.username ?? c.dim('(none)')}`,
          `device       ${me.deviceId} (${me.deviceName})`,
          `relay        ${me.relayUrl}`,
          `fingerprint  ${fingerprint}`,
          `profile      ${profile.paths.label}`,
          `store key    Argon2id, ${opsLimit} passes over ${Math.round(memLimitBytes / 1024)} KiB`,
        ].join('\n'),
    );
  });
}
