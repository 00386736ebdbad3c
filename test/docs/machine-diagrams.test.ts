import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assign, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  extractDiagramSection,
  findMachines,
  renderDiagramSection,
  renderMachine,
} from '../../scripts/machine-diagrams.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the machine diagrams', () => {
  it('in docs/ARCHITECTURE.md are what machines/ generate (run npm run docs:machines)', async () => {
    const committed = extractDiagramSection(readFileSync(`${root}docs/ARCHITECTURE.md`, 'utf8'));
    expect(committed).toBeDefined();
    expect(committed).toBe(await renderDiagramSection(`${root}machines`));
  });

  it('cover every machine exported from machines/', async () => {
    const ids = (await findMachines(`${root}machines`)).map(({ machine }) => machine.id);
    expect(ids).toEqual(expect.arrayContaining(['bot', 'persistence']));
  });

  it('are walked from the definition: nested, eventless, delayed, guarded and final states', () => {
    const machine = setup({
      types: { events: {} as { type: 'go' } | { type: 'quit' } },
      guards: { isReady: () => true },
      delays: { pause: 500 },
    }).createMachine({
      id: 'sample',
      initial: 'outer',
      context: { n: 0 },
      on: { quit: '.done' },
      states: {
        outer: {
          initial: 'first',
          states: {
            first: { on: { go: { target: 'second', guard: 'isReady' } } },
            second: { after: { pause: 'first' }, always: { target: 'first', guard: 'isReady' } },
          },
          on: { go: { actions: assign({ n: ({ context }) => context.n + 1 }) } },
        },
        done: { type: 'final' },
      },
    });

    const lines = renderMachine(machine)
      .split('\n')
      .map((text) => text.trim());
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toEqual(
      expect.arrayContaining([
        '[*] --> outer',
        'state outer {',
        '[*] --> outer_first',
        'outer_first --> outer_second : go [isReady]',
        'outer_second --> outer_first : after pause',
        'outer_second --> outer_first : always [isReady]',
        'outer --> outer : go',
        'done --> [*]',
        'any_state --> done : quit',
      ]),
    );
  });
});
