/** User settings as the session layer sees them. */
import type { SettingsRecord } from '../store/records.js';
import type { Profile } from './profile.js';

export function readSettings(profile: Profile): SettingsRecord {
  return profile.store.run(() => profile.store.settings.get());
}

export function setReadReceipts(profile: Profile, on: boolean): SettingsRecord {
  return profile.store.transaction(() => profile.store.settings.update({ readReceipts: on }));
}
