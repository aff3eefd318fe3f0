/**
 * An HTTP-only relay client for commands that make a few requests and need no WebSocket
 * (contact add, verify, devices, presence, push). Its own module, apart from runtime.ts, so those
 * commands load neither the WebSocket library nor the inbox and messenger.
 */
import { RelayHttp } from '../transport/relay-http.js';
import { localDevice } from './local-device.js';
import type { Profile } from './profile.js';
import { deviceAuthenticator } from './relay-auth.js';

/** An HTTP client for the relay that signs in when a route needs it (no WebSocket). */
export async function signedInHttp(profile: Profile): Promise<RelayHttp> {
  const device = localDevice(profile.crypto, profile.identity());
  const http = new RelayHttp(device.relayUrl);
  http.setAuthenticator(deviceAuthenticator(profile.crypto, profile.store, http, device, () => Date.now()));
  return http;
}
