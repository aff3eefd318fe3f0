/** `sealpost contact add | list | show`. */
import type { CommandContext } from '../cli/context.js';
import { addContact } from '../session/contact-directory.js';
import { listContacts, requireContact } from '../session/contacts.js';
import { withProfile } from '../session/profile.js';
import { signedInHttp } from '../session/signed-http.js';
import { contactJson, contactLine } from './views.js';

export async function contactAddCommand(ctx: CommandContext, args: { who: string; alias: string | undefined }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const http = await signedInHttp(profile);
    const { contact, created } = await addContact(profile, http, args.who, args.alias ?? null, ctx.now());
    if (contact.pendingAccountId !== null) {
      ctx.output.warn(`${contact.username ?? contact.accountId} now leads to a different account (${contact.pendingAccountId}); compare safety numbers with \`sealpost verify\`.`);
    }
    ctx.output.result('contact', { ...contactJson(contact), created }, (c) => `${created ? 'Added' : 'Already a contact'}: ${contactLine(contact, c)}`);
  });
}

export async function contactListCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, (profile) => {
    const contacts = listContacts(profile);
    ctx.output.result('contacts', { contacts: contacts.map(contactJson) }, (c) =>
      contacts.length === 0 ? c.dim('No contacts yet; add one with `sealpost contact add <username>`.') : contacts.map((x) => contactLine(x, c)).join('\n'),
    );
  });
}

export async function contactShowCommand(ctx: CommandContext, args: { contact: string }): Promise<void> {
  await withProfile(ctx, (profile) => {
    const contact = requireContact(profile, args.contact);
    ctx.output.result('contact', contactJson(contact), (c) =>
      [
        contactLine(contact, c),
        `username     ${contact.username ?? c.dim('(none)')}`,
        `alias        ${contact.alias ?? c.dim('(none)')}`,
        `verified     ${contact.verified ? 'yes' : 'no'}`,
        `devices      ${contact.deviceListVersion === 0 ? c.dim('(unknown)') : `device list version ${contact.deviceListVersion}`}`,
        `presence     ${contact.presence === 'allowed' ? 'you share your presence' : 'you do not share your presence'}`,
        ...(contact.pendingAccountId !== null
          ? [c.red(`The identity key changed (now account ${contact.pendingAccountId}); sending is stopped until \`sealpost verify ${contact.alias ?? contact.username ?? contact.accountId} --confirm\`.`)]
          : []),
      ].join('\n'),
    );
  });
}
