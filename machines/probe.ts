/**
 * The probe: every interval, one sampling round over all live bots' processes (CPU, memory,
 * liveness, identity). Pure definition: the round itself (`sampleRound`) and what is done with
 * its result (`reportRound`) are provided by src/probe.
 */
import { assign, fromPromise, setup } from 'xstate';

export interface ProbeInput {
  intervalMs: number;
}

export interface ProbeContext extends ProbeInput {
  rounds: number;
  failures: number;
  lastRoundMs: number | undefined;
}

export interface RoundOutput {
  processes: number;
  ms: number;
}

export const probeMachine = setup({
  types: {
    context: {} as ProbeContext,
    events: {} as { type: 'sampleNow' },
    input: {} as ProbeInput,
  },
  actors: {
    sampleRound: fromPromise<RoundOutput>(async () => {
      throw new Error('sampleRound is provided by src/probe');
    }),
  },
  actions: {
    roundFailed: (_, _params: { error: unknown }) => {},
  },
  delays: {
    interval: ({ context }) => context.intervalMs,
  },
}).createMachine({
  id: 'probe',
  context: ({ input }) => ({ ...input, rounds: 0, failures: 0, lastRoundMs: undefined }),
  initial: 'waiting',
  states: {
    waiting: {
      after: { interval: 'sampling' },
      on: { sampleNow: 'sampling' },
    },
    sampling: {
      invoke: {
        src: 'sampleRound',
        onDone: {
          target: 'waiting',
          actions: assign(({ context, event }) => ({
            rounds: context.rounds + 1,
            lastRoundMs: event.output.ms,
          })),
        },
        onError: {
          target: 'waiting',
          actions: [
            assign(({ context }) => ({ failures: context.failures + 1 })),
            { type: 'roundFailed', params: ({ event }) => ({ error: event.error }) },
          ],
        },
      },
    },
  },
});
