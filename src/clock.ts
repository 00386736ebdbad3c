/**
 * The two kinds of time kissmon reads: wall-clock timestamps (`now`) and the timers of its actors
 * (`timers`). Tests hand both from one XState SimulatedClock, so nothing sleeps for a timer.
 */
import type { ActorOptions, AnyActorLogic, InspectionEvent } from 'xstate';

/** The clock XState actors schedule their delays on. */
export type TimerClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

export interface Clock {
  /** Epoch milliseconds. */
  now: () => number;
  /** Undefined means real timers (`setTimeout`). */
  timers: TimerClock | undefined;
}

export const systemClock: Clock = { now: () => Date.now(), timers: undefined };

/** Receives every actor's inspection events when inspection is on. */
export type Inspect = (event: InspectionEvent) => void;

/**
 * The options every kissmon actor is created with. Keys are left out rather than set to
 * undefined, because XState would take an explicit undefined over its own default clock.
 */
export function actorOptions(
  clock: Clock,
  inspect?: Inspect,
): Pick<ActorOptions<AnyActorLogic>, 'clock' | 'inspect'> {
  return {
    ...(clock.timers && { clock: clock.timers }),
    ...(inspect && { inspect }),
  };
}
