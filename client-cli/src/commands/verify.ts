/**
 * `sealpost verify <contact> [--confirm]`: shows the safety number (12 groups of 5 digits, and a
 * QR code when stdout is a terminal); --confirm marks the contact verified, and if its identity
 * changed, pins the new identity so sending resumes.
 */
import type { CommandContext } from '../cli/context.js';
import { isCliError } from '../errors.js';
import { checkIdentity, confirmContact } from '../session/contact-directory.js';
import { displayName, requireContact } from '../session/contacts.js';
import { withProfile } from '../session/profile.js';
import { signedInHttp } from '../session/signed-http.js';
import { contactSafetyNumber } from '../session/verification.js';
import { toQrText } from './qr.js';

export async function verifyCommand(ctx: CommandContext, args: { contact: string; confirm: boolean }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    let contact = requireContact(profile, args.contact);
    // Ask the relay whether the username still leads to the pinned account; offline, the
    // stored state is shown (and confirming a plain verification needs no relay).
    let http;
    try {
      http = await signedInHttp(profile);
      contact = await checkIdentity(profile, http, contact);
    } catch (error) {
      if (!isCliError(error) || error.code !== 'CLI_ERR_RELAY_UNREACHABLE') throw error;
      ctx.output.warn('the relay is unreachable; showing the stored identity');
    }
    const changed = contact.pendingAccountId !== null;
    const { accountId, safetyNumber } = contactSafetyNumber(profile, contact);
    if (args.confirm) contact = await confirmContact(profile, http, contact);
    const rows = [0, 4, 8].map((i) => safetyNumber.groups.slice(i, i + 4).join(' '));
    const qrText = `sealpost-safety:${Buffer.from(safetyNumber.qrPayload).toString('base64url')}`;
    const showQr = !ctx.output.json && ctx.io.stdout.isTTY === true && !args.confirm;
    const qr = showQr ? await toQrText(qrText) : '';
    ctx.output.result(
      'verify',
      {
        contact: contact.accountId,
        accountId,
        safetyNumber: safetyNumber.digits,
        groups: safetyNumber.groups,
        qrPayload: Buffer.from(safetyNumber.qrPayload).toString('base64url'),
        identityChanged: changed && !args.confirm,
        verified: contact.verified,
        confirmed: args.confirm,
      },
      (c) =>
        [
          ...(changed ? [c.red(`The identity of ${displayName(contact)} changed: this is the safety number of the NEW account ${accountId}.`)] : []),
          `Safety number with ${c.bold(displayName(contact))}:`,
          ...rows.map((row) => `  ${row}`),
          ...(qr === '' ? [] : [qr]),
          args.confirm
            ? c.green(changed ? `Confirmed: ${displayName(contact)} is pinned to the new identity and verified.` : `Marked ${displayName(contact)} verified.`)
            : c.dim('Compare it with your contact (in person or on a call); if it matches, run again with --confirm.'),
        ].join('\n'),
    );
  });
}
