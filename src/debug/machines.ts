/** The machines the debug socket describes (`machines` request), as plain JSON. */
import type { AnyStateMachine } from 'xstate';
import { configure } from 'safe-stable-stringify';
import { botMachine } from '../../machines/bot.js';
import { persistenceMachine } from '../../machines/persistence.js';

const MACHINES: AnyStateMachine[] = [botMachine, persistenceMachine];

const stringify = configure({ maximumDepth: 32, circularValue: '[Circular]' });

export function describeMachines(): Record<string, unknown> {
  return Object.fromEntries(
    MACHINES.map((machine) => [machine.id, JSON.parse(stringify(machine.definition) ?? 'null')]),
  );
}
