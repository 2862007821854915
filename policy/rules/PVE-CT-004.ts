import { PolicyRule, CIS } from "../rule";
import { containerLabel, runningContainers } from "../container-queries";
import { block, bool, strList } from "../values";

/** PVE-CT-004: containers mount no FUSE or extra file systems and make no device nodes. */
export const rule: PolicyRule = {
  id: "PVE-CT-004",
  severity: "warning",
  description: "No container may use FUSE, mknod() or mount extra file system types (each widens what it reaches on the node).",
  remediation:
    "Remove features.fuse, features.mknod and features.mount (HardenedContainer: drop features.fuse and features.mountTypes); mount storage on the node and pass it in as a mount point.",
  mappings: [CIS.networkArchitecture],
  check(ctx) {
    return ctx.each(runningContainers(ctx), (ct) => {
      const features = block(ct.config, "features");
      const found: string[] = [];
      if (bool(features, "fuse") === true) found.push("fuse = true (FUSE can deadlock the node's I/O with the freezer cgroup)");
      if (bool(features, "mknod") === true) found.push("mknod = true (it can create device nodes)");
      const mounts = strList(features, "mount") ?? [];
      if (mounts.length > 0) found.push(`mount = ${JSON.stringify(mounts)} (a loop or NFS mount can bypass the devices cgroup or block the node)`);
      return found.map((f) => ({ subject: ct.construct, message: `${containerLabel(ct)} has features.${f}.` }));
    });
  },
};
