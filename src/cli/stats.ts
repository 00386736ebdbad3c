/** `kissmon stats`: the monitor's counters, flattened to one `key  value` line each. */
import type { StatsView } from '../debug/stats.js';
import { debugSocketOf, type ConnectionOptions } from './connection-options.js';
import { request } from './debug-client.js';
import { printJson } from './output.js';

export function flattenStats(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];

  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return [[prefix, '-']];
  return entries.flatMap(([key, inner]) => flattenStats(inner, prefix ? `${prefix}.${key}` : key));
}

export async function runStats(options: ConnectionOptions): Promise<void> {
  const stats = await request<StatsView>(debugSocketOf(options), { cmd: 'stats' });
  if (options.json) return printJson(stats);

  const lines = flattenStats(stats);
  const width = Math.max(...lines.map(([key]) => key.length));
  process.stdout.write(lines.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n'));
  process.stdout.write('\n');
}
