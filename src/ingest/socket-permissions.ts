/**
 * Who may connect to the ingest socket: a Unix socket is reachable by whoever may write to the
 * file, so its mode and group decide which users' bots can report to kissmon.
 */
import { readFileSync } from 'node:fs';
import { chmod, chown } from 'node:fs/promises';
import { KissmonError, ServerErrorCode } from '../protocol/errors.js';

export interface SocketPermissions {
  mode: number;
  /** A group name from /etc/group or a numeric gid; undefined keeps the process's group. */
  group: string | undefined;
}

/** Reads a mode such as `660` or `0660`; bits beyond rwx for user, group and other are refused. */
export function parseSocketMode(raw: string): number {
  if (!/^0?[0-7]{3}$/.test(raw)) {
    throw new KissmonError(
      ServerErrorCode.invalidOption,
      `expected an octal mode such as 660, got ${raw}`,
    );
  }
  return Number.parseInt(raw, 8);
}

export function resolveGroupId(group: string, groupFile = '/etc/group'): number {
  if (/^\d+$/.test(group)) return Number(group);

  const entry = readFileSync(groupFile, 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === group);
  if (entry?.[2] === undefined) {
    throw new KissmonError(
      ServerErrorCode.socketPermissions,
      `No group named ${group} in ${groupFile}; give a group name or a numeric gid.`,
    );
  }
  return Number(entry[2]);
}

export async function applySocketPermissions(
  path: string,
  permissions: SocketPermissions,
): Promise<void> {
  try {
    if (permissions.group !== undefined) {
      await chown(path, -1, resolveGroupId(permissions.group));
    }
    await chmod(path, permissions.mode);
  } catch (error) {
    if (error instanceof KissmonError) throw error;
    throw new KissmonError(
      ServerErrorCode.socketPermissions,
      `Cannot set the mode or group of ${path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
