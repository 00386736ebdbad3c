/** Where the debug socket lives: given by --debug-socket, or beside the ingest socket. */

export function resolveDebugSocketPath(ingestSocket: string, explicit?: string): string {
  if (explicit) return explicit;
  return ingestSocket.endsWith('.sock')
    ? `${ingestSocket.slice(0, -'.sock'.length)}.debug.sock`
    : `${ingestSocket}.debug`;
}
