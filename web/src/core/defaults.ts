// The settings a profile starts with, and the interval's limits: read from the add-on's own
// files (config.json ships the defaults, protocol.json the limits) so Python and the page agree.
import config from "../../../addon/config.json";
import definition from "../../../addon/protocol.json";
import type { Settings, Tuning } from "../protocol/generated";

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  autoSync: config.autoSync,
  syncMedia: config.syncMedia,
  periodicMedia: config.periodicMedia,
  periodicMediaMinutes: config.periodicMediaMinutes,
  backgroundSync: config.backgroundSync,
};

export const MINUTES_MIN: number = definition.limits.periodicMediaMinutes.min;
export const MINUTES_MAX: number = definition.limits.periodicMediaMinutes.max;

/** Add-on-wide timings and the metered switch, as config.json ships them. */
export const DEFAULT_TUNING: Readonly<Tuning> = {
  idleSeconds: config.idleSeconds,
  statusCheckMinutes: config.statusCheckMinutes,
  lastingFailureMinutes: config.lastingFailureMinutes,
  allowMetered: config.allowMetered,
};

export const SETTINGS_VERSION: number = definition.settingsVersion;
export const CHECK_MINUTES_MIN: number = definition.limits.statusCheckMinutes.min;
