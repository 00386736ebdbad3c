/**
 * Switches inspection on and off for actors that already run, and for those spawned later.
 *
 * XState keeps inspection observers per actor system and skips all inspection work while a
 * system has none, so an actor that is not attached here costs nothing. Every bot is a root
 * actor with a system of its own, hence one subscription per actor.
 */
import type { AnyActorRef, Subscription } from 'xstate';
import type { Inspect } from '../clock.js';

export class InspectionSwitch {
  private readonly listActors: () => Iterable<AnyActorRef>;
  private readonly attached = new Map<AnyActorRef, Subscription>();
  private sink: Inspect | undefined;

  constructor(listActors: () => Iterable<AnyActorRef>) {
    this.listActors = listActors;
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /** How many actors are being inspected now. */
  get attachedCount(): number {
    return this.attached.size;
  }

  /** Sends the events of every actor, running or yet to come, to `sink`. */
  enable(sink: Inspect): void {
    this.disable();
    this.sink = sink;
    for (const actor of this.listActors()) this.attach(actor, sink);
  }

  disable(): void {
    for (const subscription of this.attached.values()) subscription.unsubscribe();
    this.attached.clear();
    this.sink = undefined;
  }

  /** Attaches a new actor when inspection is on; call it before the actor starts. */
  track(actor: AnyActorRef): void {
    if (this.sink) this.attach(actor, this.sink);
  }

  private attach(actor: AnyActorRef, sink: Inspect): void {
    this.attached.set(actor, actor.system.inspect(sink));

    // The actor announced itself when it was created, before anyone listened: announce it again.
    sink({ type: '@xstate.actor', actorRef: actor, rootId: actor.sessionId });
  }
}
