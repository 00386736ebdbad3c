/** The options every command that talks to a running monitor takes. */
import { Option } from 'commander';
import { resolveDebugSocketPath } from '../debug/paths.js';

export interface ConnectionOptions {
  socket: string;
  debugSocket?: string | undefined;
  json?: boolean;
}

export function connectionOptions(): Option[] {
  return [
    new Option(
      '--socket <path>',
      'ingest socket of the monitor to ask (its debug socket is beside)',
    )
      .env('KISSMON_SOCKET')
      .default('/tmp/kissbot_monitor.sock'),
    new Option(
      '--debug-socket <path>',
      'the debug socket itself, if started with --debug-socket',
    ).env('KISSMON_DEBUG_SOCKET'),
    new Option('--json', "print the monitor's reply as JSON"),
  ];
}

export function debugSocketOf(options: ConnectionOptions): string {
  return resolveDebugSocketPath(options.socket, options.debugSocket);
}
