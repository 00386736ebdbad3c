/**
 * Every machine exported from machines/, found by looking, not by a list: a machine added there
 * shows up in the `machines` request and in the diagrams without touching this file.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { configure } from 'safe-stable-stringify';
import { StateMachine, type AnyStateMachine } from 'xstate';

export interface FoundMachine {
  file: string;
  machine: AnyStateMachine;
}

/** machines/ beside src/, from the sources (tsx) and from dist/ alike. */
export const MACHINES_DIR = fileURLToPath(new URL('../../machines/', import.meta.url));

const stringify = configure({ maximumDepth: 32, circularValue: '[Circular]' });

function isModuleFile(file: string): boolean {
  return /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts');
}

/** Every StateMachine exported by a module in `dir`, ordered by file, then by id. */
export async function findMachines(dir = MACHINES_DIR): Promise<FoundMachine[]> {
  const files = readdirSync(dir).filter(isModuleFile).sort();
  const found: FoundMachine[] = [];

  for (const file of files) {
    const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    const machines = Object.values(module).filter(
      (value): value is AnyStateMachine => value instanceof StateMachine,
    );
    machines.sort((a, b) => a.id.localeCompare(b.id));
    for (const machine of machines) found.push({ file, machine });
  }
  return found;
}

/** Each machine's definition as plain JSON, by machine id. */
export async function describeMachines(): Promise<Record<string, unknown>> {
  const found = await findMachines();
  return Object.fromEntries(
    found.map(({ machine }) => [machine.id, JSON.parse(stringify(machine.definition) ?? 'null')]),
  );
}
