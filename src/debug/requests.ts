/**
 * The requests the debug socket understands, one JSON object a line, each with an `id` that
 * its replies carry back. Parsing never throws: a bad line becomes a coded error reply.
 */
import { z } from 'zod';
import { DebugErrorCode } from '../protocol/errors.js';

const requestId = z.union([z.string().max(128), z.number().int().safe()]);

const requestSchema = z.discriminatedUnion('cmd', [
  z.object({ id: requestId, cmd: z.literal('bots') }),
  z.object({ id: requestId, cmd: z.literal('bot'), channel: z.string().min(1).max(64) }),
  z.object({ id: requestId, cmd: z.literal('stats') }),
  z.object({ id: requestId, cmd: z.literal('watch') }),
  z.object({ id: requestId, cmd: z.literal('machines') }),
  z.object({ id: requestId, cmd: z.literal('inspect'), mode: z.enum(['on', 'off']).optional() }),
]);

export type DebugRequest = z.infer<typeof requestSchema>;
export type RequestId = z.infer<typeof requestId>;

export const COMMANDS = ['bots', 'bot', 'stats', 'watch', 'machines', 'inspect'] as const;

export interface RequestError {
  id: RequestId | null;
  code: DebugErrorCode;
  message: string;
}

export type ParsedRequest = { ok: true; request: DebugRequest } | ({ ok: false } & RequestError);

function fail(id: RequestId | null, code: DebugErrorCode, message: string): ParsedRequest {
  return { ok: false, id, code, message };
}

export function parseRequest(line: string): ParsedRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return fail(null, DebugErrorCode.requestInvalidJson, 'The request is not valid JSON.');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(null, DebugErrorCode.requestInvalid, 'A request is a JSON object.');
  }

  const fields = value as Record<string, unknown>;
  const id = requestId.safeParse(fields.id);
  if (!id.success) {
    return fail(null, DebugErrorCode.requestInvalid, 'A request needs an id: a string or integer.');
  }
  if (!COMMANDS.includes(fields.cmd as (typeof COMMANDS)[number])) {
    const known = COMMANDS.join(', ');
    return fail(id.data, DebugErrorCode.unknownCommand, `Unknown cmd; known: ${known}.`);
  }

  const parsed = requestSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const message = `${issue.path.join('.') || 'request'}: ${issue.message}`;
    return fail(id.data, DebugErrorCode.requestInvalid, message);
  }
  return { ok: true, request: parsed.data };
}
