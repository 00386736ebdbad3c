import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isSameProcess,
  procfsTable,
  readStartTimes,
  trustingTable,
} from '../../src/probe/process-table.js';
import { kill, killSleepers, spawnSleeper } from '../helpers/processes.js';

describe('process table', () => {
  afterAll(killSleepers);

  it('reads the start time of a running process from /proc', () => {
    const fields = readFileSync(`/proc/${process.pid}/stat`, 'latin1').split(') ')[1]!.split(' ');
    expect(procfsTable.startTime(process.pid)).toBe(Number(fields[19]));
  });

  it('finds nothing for a process that has ended', async () => {
    const sleeper = spawnSleeper();
    expect(procfsTable.startTime(sleeper.pid)).toBeGreaterThan(0);

    await kill(sleeper);
    expect(procfsTable.startTime(sleeper.pid)).toBeUndefined();
    expect(await readStartTimes(procfsTable, [process.pid, sleeper.pid])).toEqual([
      procfsTable.startTime(process.pid),
      undefined,
    ]);
  });

  it('tells a PID that now runs another process by its start time', () => {
    const startTime = procfsTable.startTime(process.pid)!;
    expect(isSameProcess(procfsTable, process.pid, startTime)).toBe(true);
    expect(isSameProcess(procfsTable, process.pid, startTime - 1)).toBe(false);
  });

  it('takes every PID at its word when process checks are off', () => {
    expect(isSameProcess(trustingTable, 2 ** 31 - 1, 5)).toBe(true);
  });
});
