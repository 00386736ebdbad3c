/**
 * The constants of wire protocol v1 that need no schema library: the client SDK loads this file
 * (and never zod), the schemas in messages.ts build on it.
 */

export const PROTOCOL_VERSION = 1;

/** Where the monitor listens unless told otherwise; the KissBot monitor's own path. */
export const DEFAULT_SOCKET_PATH = '/tmp/kissbot_monitor.sock';

/**
 * A channel names one bot. It admits every Twitch login name (letters, digits, underscore, up
 * to 25 characters, some legacy names shorter than 4) and, for other workers, `.`, `:` and `-`
 * after the first character, up to 64 characters in all.
 */
export const CHANNEL_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,63}$/;

/** Keys that would reach an object's prototype if copied naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export const MAX_FEATURES = 64;
export const MAX_TEXT_LENGTH = 256;
export const MAX_PID = 2 ** 31 - 1;
export const MAX_HEARTBEAT_INTERVAL_S = 86_400;
