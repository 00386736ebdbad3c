/**
 * `kissmon/client`: what a bot imports to talk to kissmon. It loads Node built-ins and the
 * protocol's constants only, never the monitor's dependencies (xstate, better-sqlite3, pino,
 * zod).
 */
export {
  MonitorClient,
  type ClientMode,
  type MonitorClientOptions,
  type MonitorClientStats,
} from './monitor-client.js';
export type { Features, HeartbeatDetails, LlmUsage, RegisterDetails } from './messages.js';
export {
  HeartbeatTask,
  registerWithMonitor,
  sendHeartbeat,
  unregisterFromMonitor,
  type LegacyOptions,
} from './legacy.js';
export { RejectCode } from '../protocol/errors.js';
export { DEFAULT_SOCKET_PATH, PROTOCOL_VERSION } from '../protocol/limits.js';
