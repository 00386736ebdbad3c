/** `kissmon usage`: calls, tokens, latency and cost per channel, model or feature. */
import { renderTable, printJson, paint, useColour } from './output.js';
import { parseDuration, queryUsage, type UsageGroup, type UsageLine } from './usage-query.js';

export interface UsageOptions {
  db: string;
  since: string;
  by: UsageGroup;
  json?: boolean;
}

function formatNumber(value: number | null, digits = 0): string {
  return value === null ? '-' : value.toFixed(digits);
}

export function renderUsage(lines: UsageLine[], by: UsageGroup, colour: boolean): string[] {
  if (lines.length === 0) return ['no LLM calls in that window'];

  const header = [by, 'calls', 'tokens in', 'tokens out', 'p50 ms', 'p95 ms', 'cost'];
  const rows = lines.map((line) => [
    line.key,
    String(line.calls),
    String(line.tokensIn),
    String(line.tokensOut),
    formatNumber(line.latencyP50Ms),
    formatNumber(line.latencyP95Ms),
    line.cost === null ? '-' : `${line.cost.toFixed(4)} (${line.costedCalls} calls)`,
  ]);
  return renderTable(header, rows).map((text, index) =>
    index === 0 ? paint(text, 'bold', colour) : text,
  );
}

export function runUsage(options: UsageOptions): void {
  const sinceMs = parseDuration(options.since);
  const lines = queryUsage({ db: options.db, sinceMs, by: options.by, now: Date.now() });
  if (options.json) return printJson(lines);

  process.stdout.write(`${renderUsage(lines, options.by, useColour()).join('\n')}\n`);
}
