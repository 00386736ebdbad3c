/**
 * Turns one line from the ingest socket into a valid message or a coded rejection.
 *
 * Decoding never throws: whatever the bytes, the caller gets a result it can count.
 */
import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { RejectCode } from './errors.js';
import { decodeFast } from './fast-decode.js';
import { FORBIDDEN_KEYS, messageSchemas, type Message, type MessageType } from './messages.js';

export type Rejection = { ok: false; code: RejectCode; detail: string };
export type Decoded = { ok: true; message: Message } | Rejection;

function reject(code: RejectCode, detail: string): Rejection {
  return { ok: false, code, detail };
}

function isMessageType(type: string): type is MessageType {
  return Object.hasOwn(messageSchemas, type);
}

function findForbiddenKey(features: unknown): string | undefined {
  if (features === null || typeof features !== 'object') return undefined;
  return Object.keys(features).find((key) => FORBIDDEN_KEYS.has(key));
}

function codeForIssue(issue: z.core.$ZodIssue): RejectCode {
  const field = issue.path[0];
  if (field === 'channel') return RejectCode.invalidChannel;
  if (field === 'pid') return RejectCode.invalidPid;
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    const received = (issue as { received?: unknown }).received;
    if (received === 'Infinity' || received === 'NaN') return RejectCode.nonFiniteNumber;
  }
  return RejectCode.invalidField;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.') || '(message)';
  return `${path}: ${issue.message}`;
}

/** Decodes one line (without its newline) into a validated message. */
export function decodeLine(line: Uint8Array): Decoded {
  if (!isUtf8(line)) return reject(RejectCode.invalidUtf8, 'line is not valid UTF-8');

  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(line.buffer, line.byteOffset, line.byteLength).toString());
  } catch {
    return reject(RejectCode.invalidJson, 'line is not valid JSON');
  }

  return decodeValue(value);
}

/** Validates an already parsed JSON value as a protocol message. */
export function decodeValue(value: unknown): Decoded {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return reject(RejectCode.notObject, 'message is not a JSON object');
  }

  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return reject(RejectCode.missingType, 'type is missing');
  if (!isMessageType(type)) return reject(RejectCode.unknownType, `unknown type ${type}`);

  const forbidden = findForbiddenKey((value as { features?: unknown }).features);
  if (forbidden !== undefined) {
    return reject(RejectCode.forbiddenKey, `features must not contain the key ${forbidden}`);
  }

  const fast = decodeFast(type, value as Record<string, unknown>);
  if (fast) return { ok: true, message: fast };

  const parsed = messageSchemas[type].safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };

  const issue = parsed.error.issues[0]!;
  return reject(codeForIssue(issue), describeIssue(issue));
}
