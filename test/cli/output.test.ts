import { describe, expect, it } from 'vitest';
import type { BotRow } from '../../src/debug/bot-view.js';
import { formatDuration, renderTable, useColour } from '../../src/cli/output.js';
import { renderStatus } from '../../src/cli/status.js';

const now = Date.parse('2026-12-03T12:00:00Z');

const bot: BotRow = {
  channel: 'alpha',
  state: 'stale',
  status: 'stale',
  pid: 7,
  since: '2026-12-03T11:59:00.000Z',
  registeredAt: '2026-12-03T09:30:00.000Z',
  lastHeartbeat: '2026-12-03T11:58:30.000Z',
  heartbeats: 3,
  statusText: null,
  cpuPct: null,
  rssMb: 12.25,
  sampledBy: 'probe',
  sampledAt: '2026-12-03T11:59:45.000Z',
  duplicatePid: null,
  features: {},
  flags: ['implicit', 'restored'],
  reason: 'no heartbeat for 60s',
  version: null,
  host: null,
};

describe('CLI output', () => {
  it('colours states only when asked to, and aligns columns by visible width', () => {
    const plain = renderStatus([bot], now, false);
    const coloured = renderStatus([bot], now, true);

    expect(plain.join('\n')).not.toContain('\u001b[');
    expect(coloured[1]).toContain('\u001b[33mstale\u001b[0m');
    expect(coloured[1]!.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain[1]);
    expect(plain[1]!.split(/\s{2,}/)).toEqual([
      'alpha',
      'stale',
      '7',
      '2h30m',
      '1m ago',
      '-',
      '12.3 MB',
      'implicit,restored',
    ]);
  });

  it('uses colours on a terminal unless NO_COLOR is set', () => {
    const terminal = { isTTY: true } as NodeJS.WriteStream;
    const pipe = { isTTY: false } as NodeJS.WriteStream;
    const saved = process.env.NO_COLOR;

    delete process.env.NO_COLOR;
    expect(useColour(terminal)).toBe(true);
    expect(useColour(pipe)).toBe(false);
    process.env.NO_COLOR = '1';
    expect(useColour(terminal)).toBe(false);

    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('formats durations with their two largest units', () => {
    expect(
      [0, 42_000, 7 * 60_000, 3 * 3_600_000 + 12 * 60_000, 50 * 3_600_000].map(formatDuration),
    ).toEqual(['0s', '42s', '7m', '3h12m', '2d2h']);
  });

  it('says so when there are no bots', () => {
    expect(renderStatus([], now, false)).toEqual(['no bots yet']);
    expect(renderTable(['a', 'bb'], [['ccc', 'd']])).toEqual(['a    bb', 'ccc  d']);
  });
});
