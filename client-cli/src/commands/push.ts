/**
 * `sealpost push subscribe --endpoint URL --p256dh KEY --auth SECRET`, `push status`,
 * `push unsubscribe`: this device's Web Push subscription on the relay (docs/cli.md "Push").
 */
import type { CommandContext } from '../cli/context.js';
import { withProfile } from '../session/profile.js';
import { pushState, subscribePush, unsubscribePush } from '../session/push.js';
import type { PushStatusResponse } from '@sealpost/relay/api';
import type { Palette } from '../output/color.js';
import { formatTime } from './views.js';

function statusFields(status: PushStatusResponse): Record<string, unknown> {
  return status.subscribed ? { subscribed: true, endpoint: status.endpoint, createdAt: status.createdAt, failureCount: status.failureCount } : { subscribed: false };
}

function statusLine(status: PushStatusResponse, c: Palette): string {
  if (!status.subscribed) return `push         ${c.dim('not subscribed')}`;
  const failures = status.failureCount === 0 ? '' : c.yellow(`, ${status.failureCount} push(es) given up since the last one delivered`);
  return [`push         ${c.green('subscribed')} since ${formatTime(status.createdAt)}${failures}`, `endpoint     ${status.endpoint}`].join('\n');
}

export async function pushSubscribeCommand(ctx: CommandContext, args: { endpoint: string; p256dh: string; auth: string }): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const status = await subscribePush(profile, args);
    ctx.output.result('push-subscribe', statusFields(status), (c) => statusLine(status, c));
  });
}

export async function pushStatusCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, async (profile) => {
    const { status, vapidPublicKey } = await pushState(profile);
    ctx.output.result('push-status', { ...statusFields(status), vapidPublicKey }, (c) => [statusLine(status, c), `relay key    ${vapidPublicKey} ${c.dim('(VAPID; a browser\'s applicationServerKey)')}`].join('\n'));
  });
}

export async function pushUnsubscribeCommand(ctx: CommandContext): Promise<void> {
  await withProfile(ctx, async (profile) => {
    await unsubscribePush(profile);
    ctx.output.result('push-unsubscribe', { subscribed: false }, () => 'Unsubscribed: the relay will not push to this device.');
  });
}
