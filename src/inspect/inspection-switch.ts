/**
 * Switches inspection on and off for actors that already run, and for those spawned later.
 *
 * XState keeps inspection observers per actor system and skips all inspection work while a
 * system has none, so an actor that is not attached here costs nothing. The bots share one
 * system; the persistence and probe actors have one each: one subscription per system.
 */
import type { AnyActorRef, Subscription } from 'xstate';
import type { Inspect } from '../clock.js';

export class InspectionSwitch {
  private readonly listActors: () => Iterable<AnyActorRef>;
  private readonly subscriptions = new Map<AnyActorRef['system'], Subscription>();
  private actors = 0;
  private sink: Inspect | undefined;

  constructor(listActors: () => Iterable<AnyActorRef>) {
    this.listActors = listActors;
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /** How many actors are being inspected now. */
  get attachedCount(): number {
    return this.actors;
  }

  /** Sends the events of every actor, running or yet to come, to `sink`. */
  enable(sink: Inspect): void {
    this.disable();
    this.sink = sink;
    for (const actor of this.listActors()) this.attach(actor, sink);
  }

  disable(): void {
    for (const subscription of this.subscriptions.values()) subscription.unsubscribe();
    this.subscriptions.clear();
    this.actors = 0;
    this.sink = undefined;
  }

  /** Attaches a new actor when inspection is on; call it before the actor starts. */
  track(actor: AnyActorRef): void {
    if (this.sink) this.attach(actor, this.sink);
  }

  private attach(actor: AnyActorRef, sink: Inspect): void {
    const { system } = actor;
    if (!this.subscriptions.has(system)) this.subscriptions.set(system, system.inspect(sink));
    this.actors += 1;

    // The actor announced itself when it was created, before anyone listened: announce it again.
    const rootId = actor._parent?.sessionId ?? actor.sessionId;
    sink({ type: '@xstate.actor', actorRef: actor, rootId });
  }
}
