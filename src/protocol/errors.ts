/**
 * The one catalogue of kissmon's error codes.
 *
 * Codes are stable: tests, logs, counters and operators' alerts key on them, so a code is never
 * renamed or reused. Wording may change; the code may not.
 */

/** Why a line from the ingest socket was rejected. Each is counted separately. */
export const RejectCode = {
  lineTooLong: 'KISSMON_ERR_LINE_TOO_LONG',
  invalidUtf8: 'KISSMON_ERR_INVALID_UTF8',
  invalidJson: 'KISSMON_ERR_INVALID_JSON',
  notObject: 'KISSMON_ERR_NOT_OBJECT',
  missingType: 'KISSMON_ERR_MISSING_TYPE',
  unknownType: 'KISSMON_ERR_UNKNOWN_TYPE',
  invalidChannel: 'KISSMON_ERR_INVALID_CHANNEL',
  invalidPid: 'KISSMON_ERR_INVALID_PID',
  nonFiniteNumber: 'KISSMON_ERR_NON_FINITE_NUMBER',
  forbiddenKey: 'KISSMON_ERR_FORBIDDEN_KEY',
  invalidField: 'KISSMON_ERR_INVALID_FIELD',
  /** A valid register refused: its PID runs no process kissmon can see. */
  pidNotRunning: 'KISSMON_ERR_PID_NOT_RUNNING',
} as const;

export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];

/** Why the monitor itself could not do something. */
export const ServerErrorCode = {
  socketInUse: 'KISSMON_ERR_SOCKET_IN_USE',
  socketPathNotSocket: 'KISSMON_ERR_SOCKET_PATH_NOT_SOCKET',
  socketPermissions: 'KISSMON_ERR_SOCKET_PERMISSIONS',
  invalidOption: 'KISSMON_ERR_INVALID_OPTION',
  databaseOpen: 'KISSMON_ERR_DATABASE_OPEN',
  databaseWrite: 'KISSMON_ERR_DATABASE_WRITE',
  schemaTooNew: 'KISSMON_ERR_SCHEMA_TOO_NEW',
  inspectorListen: 'KISSMON_ERR_INSPECTOR_LISTEN',
  inspectRecordOpen: 'KISSMON_ERR_INSPECT_RECORD_OPEN',
} as const;

export type ServerErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** Why the debug socket refused a request; sent back in the reply's `error.code`. */
export const DebugErrorCode = {
  requestTooLong: 'KISSMON_ERR_REQUEST_TOO_LONG',
  requestInvalidJson: 'KISSMON_ERR_REQUEST_INVALID_JSON',
  requestInvalid: 'KISSMON_ERR_REQUEST_INVALID',
  unknownCommand: 'KISSMON_ERR_UNKNOWN_COMMAND',
  unknownBot: 'KISSMON_ERR_UNKNOWN_BOT',
  inspectFailed: 'KISSMON_ERR_INSPECT_FAILED',
} as const;

export type DebugErrorCode = (typeof DebugErrorCode)[keyof typeof DebugErrorCode];

/** Why a `kissmon` command other than `start` could not answer. */
export const CliErrorCode = {
  monitorNotRunning: 'KISSMON_ERR_MONITOR_NOT_RUNNING',
  monitorClosed: 'KISSMON_ERR_MONITOR_CLOSED',
  databaseNotFound: 'KISSMON_ERR_DATABASE_NOT_FOUND',
  invalidDuration: 'KISSMON_ERR_INVALID_DURATION',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/** An error that carries a stable code from this catalogue. */
export class KissmonError extends Error {
  readonly code: ServerErrorCode | CliErrorCode;

  constructor(code: ServerErrorCode | CliErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KissmonError';
    this.code = code;
  }
}
