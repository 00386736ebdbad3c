/**
 * The parent of every bot actor. Bots are created under it only so that they share one actor
 * system (1.8 KiB less per bot than a system each); they are never spawned into its snapshot,
 * whose children XState would copy on every spawn and stop. A non-root actor can only be stopped
 * by its parent, hence `stopBot`.
 */
import { setup, stopChild, type AnyActorRef } from 'xstate';

export interface StopBotEvent {
  type: 'stopBot';
  bot: AnyActorRef;
}

export const fleetMachine = setup({
  types: { events: {} as StopBotEvent },
}).createMachine({
  id: 'bots',
  on: {
    stopBot: { actions: stopChild(({ event }) => event.bot) },
  },
});
