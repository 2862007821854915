import { Construct } from "constructs";
import { Haresource } from "../.gen/providers/proxmox/haresource";
import { checkIntRange } from "./input-checks";
import { literalText } from "./literal-text";

/** Props of {@link HaResource}. */
export interface HaResourceProps {
  /** VM (or container) id to protect. */
  readonly vmId: number;
  /** Whether the id is a VM's (`vm:<id>`) or a container's (`ct:<id>`). @default "vm" */
  readonly guest?: "vm" | "container";
  /** Requested HA state. @default "started" */
  readonly state?: "started" | "stopped" | "disabled" | "ignored";
  /** Restart attempts on the same node before relocating. @default 1 */
  readonly maxRestart?: number;
  /** Relocation attempts to other nodes. @default 1 */
  readonly maxRelocate?: number;
  /** Comment. @default none */
  readonly comment?: string;
}

/** High availability for one VM or container: PVE's HA manager restarts or relocates it when its node fails. */
export class HaResource extends Construct {
  /** The provider resource. */
  readonly resource: Haresource;

  constructor(scope: Construct, id: string, props: HaResourceProps) {
    super(scope, id);
    const maxRestart = props.maxRestart ?? 1;
    const maxRelocate = props.maxRelocate ?? 1;
    checkIntRange(`HaResource "${id}"`, "maxRestart", maxRestart, 0, 10);
    checkIntRange(`HaResource "${id}"`, "maxRelocate", maxRelocate, 0, 10);
    this.resource = new Haresource(
      this,
      "ha",
      literalText({
        resourceId: `${props.guest === "container" ? "ct" : "vm"}:${props.vmId}`,
        state: props.state ?? "started",
        maxRestart,
        maxRelocate,
        comment: props.comment,
      }),
    );
  }
}
