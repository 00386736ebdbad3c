import { describe, expect, it } from 'vitest';
import { decodeLine, RejectCode } from '../../src/protocol/index.js';

const decode = (text: string) => decodeLine(Buffer.from(text));
const codeOf = (text: string) => {
  const result = decode(text);
  return result.ok ? 'ok' : result.code;
};

const heartbeat = { type: 'heartbeat', channel: 'el_serda', pid: 123 };
const json = (value: unknown) => JSON.stringify(value);

describe('decodeLine', () => {
  it('accepts each message type with its required fields', () => {
    expect(codeOf(json({ type: 'register', channel: 'a', pid: 1, features: { llm: true } }))).toBe(
      'ok',
    );
    expect(codeOf(json(heartbeat))).toBe('ok');
    expect(codeOf(json({ type: 'unregister', channel: 'a', pid: 1 }))).toBe('ok');
    expect(
      codeOf(
        json({
          type: 'llm_usage',
          channel: 'a',
          model: 'm',
          feature: 'f',
          tokens_in: 1,
          tokens_out: 2,
        }),
      ),
    ).toBe('ok');
  });

  it('ignores unknown fields and drops them from the message', () => {
    const result = decode(json({ ...heartbeat, shard: 3, rss_mb: 12.5 }));
    expect(result).toEqual({ ok: true, message: { ...heartbeat, rss_mb: 12.5 } });
  });

  it('admits every Twitch login name as a channel', () => {
    for (const channel of ['el_serda', 'a', 'xQc', '_underscore_', 'user12345678901234567890x']) {
      expect(codeOf(json({ ...heartbeat, channel }))).toBe('ok');
    }
  });

  it.each([
    ['invalid JSON', '{"type":"heartbeat",', RejectCode.invalidJson],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), RejectCode.invalidUtf8],
    ['an array', '[1,2]', RejectCode.notObject],
    ['a string', '"heartbeat"', RejectCode.notObject],
    ['null', 'null', RejectCode.notObject],
    ['no type', json({ channel: 'a', pid: 1 }), RejectCode.missingType],
    ['a numeric type', json({ type: 7, channel: 'a', pid: 1 }), RejectCode.missingType],
    ['an unknown type', json({ type: 'hello', channel: 'a', pid: 1 }), RejectCode.unknownType],
    ['an inherited type name', json({ type: 'toString', channel: 'a' }), RejectCode.unknownType],
    ['no channel', json({ type: 'heartbeat', pid: 1 }), RejectCode.invalidChannel],
    ['a channel with spaces', json({ ...heartbeat, channel: 'a b' }), RejectCode.invalidChannel],
    ['a channel with a slash', json({ ...heartbeat, channel: '../x' }), RejectCode.invalidChannel],
    [
      'an over-long channel',
      json({ ...heartbeat, channel: 'a'.repeat(65) }),
      RejectCode.invalidChannel,
    ],
    ['no pid', json({ type: 'heartbeat', channel: 'a' }), RejectCode.invalidPid],
    ['pid zero', json({ ...heartbeat, pid: 0 }), RejectCode.invalidPid],
    ['a negative pid', json({ ...heartbeat, pid: -5 }), RejectCode.invalidPid],
    ['a fractional pid', json({ ...heartbeat, pid: 1.5 }), RejectCode.invalidPid],
    ['a string pid', json({ ...heartbeat, pid: '123' }), RejectCode.invalidPid],
    [
      'an infinite number',
      '{"type":"heartbeat","channel":"a","pid":1,"rss_mb":1e999}',
      RejectCode.nonFiniteNumber,
    ],
    [
      'a __proto__ feature',
      '{"type":"register","channel":"a","pid":1,"features":{"__proto__":true}}',
      RejectCode.forbiddenKey,
    ],
    [
      'a constructor feature',
      json({ type: 'register', channel: 'a', pid: 1, features: { constructor: true } }),
      RejectCode.forbiddenKey,
    ],
    [
      'a non-boolean feature',
      json({ type: 'register', channel: 'a', pid: 1, features: { llm: 'yes' } }),
      RejectCode.invalidField,
    ],
    ['missing features', json({ type: 'register', channel: 'a', pid: 1 }), RejectCode.invalidField],
    [
      'negative tokens',
      json({
        type: 'llm_usage',
        channel: 'a',
        model: 'm',
        feature: 'f',
        tokens_in: -1,
        tokens_out: 0,
      }),
      RejectCode.invalidField,
    ],
    ['a mistyped optional field', json({ ...heartbeat, cpu_pct: 'high' }), RejectCode.invalidField],
  ])('rejects %s', (_name, input, code) => {
    const result = decodeLine(typeof input === 'string' ? Buffer.from(input) : input);
    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.code).toBe(code);
  });

  it('never throws, whatever the bytes', () => {
    for (let length = 0; length < 200; length += 1) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 7919 + length) % 256));
      expect(() => decodeLine(bytes)).not.toThrow();
    }
  });
});
