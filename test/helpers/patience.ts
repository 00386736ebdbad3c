/**
 * Options for `vi.waitFor`: it waits for a condition, not for time, so the limit is generous
 * enough that a loaded machine does not fail a test that is merely slow.
 */
export const PATIENCE = { timeout: 15_000, interval: 20 };
