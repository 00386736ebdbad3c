/** How big each scenario is: the full run, and the `--quick` one that fits in two minutes. */

export interface Plan {
  mode: 'full' | 'quick';
  rounds: number;
  /** Usage rows every server persists before a timed load, so that its JIT is warm. */
  warmupRows: number;
  flood: { writers: number[]; rows: number };
  perMessage: { concurrency: number; messages: number }[];
  /** The bar: a fleet this size, one message a second each, must see no refusal. */
  pacedPerMessage: { bots: number; seconds: number };
  fleet: { bots: number; seconds: number };
  badInput: { writers: number; rows: number; invalidEvery: number };
  readLock: { writers: number; rows: number };
  /** Scenario 6: client calls timed per case, yielding to the event loop every `yieldEvery`. */
  clientLatency: { calls: number; perMessageCalls: number; yieldEvery: number; deadlineMs: number };
  /** Scenario 7: idle processes spawned for each probe measurement, and rounds timed over them. */
  probeRound: { processes: number[]; rounds: number };
  /**
   * Scenario 8: a real-time soak sampled every `sampleSeconds`; the first and last
   * `windowSeconds` are compared. Every `usageEvery`-th heartbeat is followed by a usage row.
   */
  soak: {
    bots: number;
    seconds: number;
    sampleSeconds: number;
    windowSeconds: number;
    usageEvery: number;
  };
  /** Longest any one load may run before it is cut off. */
  loadDeadlineMs: number;
  /** Longest a server may take to persist what it was sent, once the load is done. */
  settleTimeoutMs: number;
}

export const FULL_PLAN: Plan = {
  mode: 'full',
  rounds: 3,
  warmupRows: 30_000,
  flood: { writers: [10, 100], rows: 300_000 },
  perMessage: [
    { concurrency: 1, messages: 5_000 },
    { concurrency: 10, messages: 20_000 },
    { concurrency: 100, messages: 40_000 },
  ],
  pacedPerMessage: { bots: 1_000, seconds: 10 },
  fleet: { bots: 10_000, seconds: 60 },
  badInput: { writers: 10, rows: 100_000, invalidEvery: 100 },
  readLock: { writers: 10, rows: 300_000 },
  clientLatency: { calls: 20_000, perMessageCalls: 2_000, yieldEvery: 10, deadlineMs: 20_000 },
  probeRound: { processes: [10, 100, 1_000], rounds: 5 },
  soak: { bots: 1_000, seconds: 600, sampleSeconds: 10, windowSeconds: 60, usageEvery: 20 },
  loadDeadlineMs: 60_000,
  settleTimeoutMs: 30_000,
};

export const QUICK_PLAN: Plan = {
  mode: 'quick',
  rounds: 1,
  warmupRows: 10_000,
  flood: { writers: [10, 100], rows: 60_000 },
  perMessage: [
    { concurrency: 1, messages: 1_000 },
    { concurrency: 10, messages: 4_000 },
    { concurrency: 100, messages: 8_000 },
  ],
  pacedPerMessage: { bots: 1_000, seconds: 5 },
  fleet: { bots: 1_000, seconds: 10 },
  badInput: { writers: 10, rows: 30_000, invalidEvery: 100 },
  readLock: { writers: 10, rows: 60_000 },
  clientLatency: { calls: 4_000, perMessageCalls: 400, yieldEvery: 10, deadlineMs: 10_000 },
  probeRound: { processes: [10, 100, 300], rounds: 3 },
  soak: { bots: 1_000, seconds: 30, sampleSeconds: 2, windowSeconds: 10, usageEvery: 20 },
  loadDeadlineMs: 20_000,
  settleTimeoutMs: 10_000,
};
