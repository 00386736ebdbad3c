/**
 * The persistence actor: the only writer. It queues what the monitor hands it and commits one
 * transaction per flush, when the queue is old enough or big enough, retrying with backoff when
 * the database refuses.
 *
 * Pure definition: the queue itself (`append`, `pendingRows`) and the write (`writeBatch`) are
 * provided by src/store through `machine.provide()`.
 */
import { assign, fromPromise, setup } from 'xstate';

/** The rows of one mailbox slice; only the store knows their shape. */
export type Batch = object;

export interface PersistenceInput {
  flushIntervalMs: number;
  batchSize: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export interface PersistenceContext extends PersistenceInput {
  flushes: number;
  failures: number;
  consecutiveFailures: number;
  lastError: string | undefined;
  stopRequested: boolean;
}

export type PersistenceEvent = { type: 'enqueue'; batch: Batch } | { type: 'stop' };

export interface FlushOutput {
  rows: number;
  ms: number;
}

function retryDelayMs(context: PersistenceContext): number {
  const exponent = Math.max(0, context.consecutiveFailures - 1);
  return Math.min(context.retryMaxMs, context.retryBaseMs * 2 ** exponent);
}

export const persistenceMachine = setup({
  types: {
    context: {} as PersistenceContext,
    events: {} as PersistenceEvent,
    input: {} as PersistenceInput,
  },
  actors: {
    writeBatch: fromPromise<FlushOutput>(async () => {
      throw new Error('writeBatch is provided by the store');
    }),
  },
  actions: {
    append: (_, _params: { batch: Batch }) => {
      throw new Error('append is provided by the store');
    },
    flushed: (_, _params: FlushOutput) => {},
    flushFailed: (_, _params: { error: unknown; retryInMs: number }) => {},
    requestStop: assign({ stopRequested: true }),
  },
  guards: {
    hasPending: () => false,
    isBatchFull: () => false,
    isStopRequested: ({ context }) => context.stopRequested,
  },
  delays: {
    flushInterval: ({ context }) => context.flushIntervalMs,
    retryDelay: ({ context }) => retryDelayMs(context),
  },
}).createMachine({
  id: 'persistence',
  context: ({ input }) => ({
    ...input,
    flushes: 0,
    failures: 0,
    consecutiveFailures: 0,
    lastError: undefined,
    stopRequested: false,
  }),
  initial: 'idle',
  on: {
    enqueue: {
      actions: { type: 'append', params: ({ event }) => ({ batch: event.batch }) },
    },
  },
  states: {
    idle: {
      always: { guard: 'hasPending', target: 'waiting' },
      on: { stop: 'stopped' },
    },
    waiting: {
      always: [
        { guard: 'isBatchFull', target: 'flushing' },
        { guard: 'isStopRequested', target: 'flushing' },
      ],
      after: { flushInterval: 'flushing' },
      on: { stop: { target: 'flushing', actions: 'requestStop' } },
    },
    flushing: {
      on: { stop: { actions: 'requestStop' } },
      invoke: {
        src: 'writeBatch',
        onDone: {
          target: 'flushed',
          actions: [
            assign(({ context }) => ({ flushes: context.flushes + 1, consecutiveFailures: 0 })),
            { type: 'flushed', params: ({ event }) => event.output },
          ],
        },
        onError: {
          target: 'retrying',
          actions: [
            assign(({ context, event }) => ({
              failures: context.failures + 1,
              consecutiveFailures: context.consecutiveFailures + 1,
              lastError: event.error instanceof Error ? event.error.message : String(event.error),
            })),
            {
              type: 'flushFailed',
              params: ({ context, event }) => ({
                error: event.error,
                retryInMs: retryDelayMs(context),
              }),
            },
          ],
        },
      },
    },
    flushed: {
      always: [
        { guard: 'isBatchFull', target: 'flushing' },
        { guard: 'isStopRequested', target: 'draining' },
        { guard: 'hasPending', target: 'waiting' },
        { target: 'idle' },
      ],
    },
    draining: {
      always: [{ guard: 'hasPending', target: 'flushing' }, { target: 'stopped' }],
    },
    retrying: {
      on: { stop: { actions: 'requestStop' } },
      after: { retryDelay: 'flushing' },
    },
    stopped: { type: 'final' },
  },
});
