/**
 * How the CLI prints: aligned tables, short durations, colours only when stdout is a terminal
 * (and NO_COLOR is unset), and failures as one line on stderr with their code.
 */
import { KissmonError } from '../protocol/errors.js';
import { ReplyError } from './debug-client.js';

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, grey: 90, bold: 1 } as const;

export type Colour = keyof typeof CODES;

export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

export function paint(text: string, colour: Colour | undefined, enabled: boolean): string {
  if (!enabled || !colour) return text;
  return `\u001b[${CODES[colour]}m${text}\u001b[0m`;
}

// ANSI sequences take no columns on screen.
function visibleLength(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Lines of a table, columns padded to their widest cell. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) =>
    Math.max(visibleLength(title), ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const renderRow = (row: string[]) =>
    row
      .map((cell, column) => cell + ' '.repeat(widths[column]! - visibleLength(cell)))
      .join('  ')
      .trimEnd();
  return [renderRow(header), ...rows.map(renderRow)];
}

/** 42s, 7m, 3h12m, 2d4h: the largest two units that matter. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  return `${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ''}`;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints why a command failed, in one line, and sets a non-zero exit code. */
export function reportFailure(error: unknown): void {
  const code = error instanceof KissmonError || error instanceof ReplyError ? error.code : '';
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kissmon: ${message}${code ? ` (${code})` : ''}\n`);
  process.exitCode = 1;
}
