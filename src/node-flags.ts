/**
 * The Node flags the monitor runs with, wherever it is launched: `bin/kissmon` and `npm start`
 * pass them (a test holds both to this list) and the benchmark harness starts kissmon with them.
 * V8 sizes its heap when the process starts, so they cannot be set from here.
 */
export const MONITOR_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
