/**
 * Inspection as the operator switches it: on at start with --inspect or --inspect-record, and
 * on or off at run time through the debug socket's `inspect` request.
 */
import { openInspector, type OpenInspector } from './inspector.js';
import type { InspectionSwitch } from './inspection-switch.js';

export interface InspectionControlOptions {
  relay: boolean;
  relayPort: number;
  recordFile: string | undefined;
}

export interface InspectionStatus {
  on: boolean;
  actors: number;
  url: string | undefined;
  recordFile: string | undefined;
}

export class InspectionControl {
  private readonly switcher: InspectionSwitch;
  private readonly options: InspectionControlOptions;
  private inspector: Promise<OpenInspector> | undefined;

  constructor(switcher: InspectionSwitch, options: InspectionControlOptions) {
    this.switcher = switcher;
    this.options = options;
  }

  /** True when kissmon was started with --inspect or --inspect-record. */
  get requestedAtStart(): boolean {
    return this.options.relay || this.options.recordFile !== undefined;
  }

  async turnOn(): Promise<InspectionStatus> {
    const inspector = await this.open();
    if (!this.switcher.enabled) this.switcher.enable(inspector.inspect);
    return this.status();
  }

  turnOff(): Promise<InspectionStatus> {
    this.switcher.disable();
    return this.status();
  }

  async status(): Promise<InspectionStatus> {
    const inspector = this.inspector && (await this.inspector.catch(() => undefined));
    return {
      on: this.switcher.enabled,
      actors: this.switcher.attachedCount,
      url: inspector?.url,
      recordFile: inspector?.recordFile,
    };
  }

  async close(): Promise<void> {
    this.switcher.disable();
    const inspector = this.inspector && (await this.inspector.catch(() => undefined));
    await inspector?.close();
  }

  // Without --inspect or --inspect-record, `inspect on` means the browser relay.
  private open(): Promise<OpenInspector> {
    const { relay, relayPort, recordFile } = this.options;
    const useRelay = relay || recordFile === undefined;
    this.inspector ??= openInspector({ relayPort: useRelay ? relayPort : undefined, recordFile });
    this.inspector.catch(() => (this.inspector = undefined));
    return this.inspector;
  }
}
