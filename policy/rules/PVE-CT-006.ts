import { PolicyRule, DEVSEC } from "../rule";
import { containerLabel, runningContainers } from "../container-queries";
import { block, isSet, raw, strList } from "../values";

/** PVE-CT-006: container root logs in with SSH keys, never a password. */
export const rule: PolicyRule = {
  id: "PVE-CT-006",
  severity: "warning",
  description: "No container's root account has a password, and every container gets at least one SSH key (login is by key only).",
  remediation:
    "Remove initialization.user_account.password and list SSH keys in initialization.user_account.keys (HardenedContainer: drop user.password and allowPasswordLogin).",
  mappings: [DEVSEC.noPasswordAuthentication, DEVSEC.pubkeyAuthentication],
  terraformOnly:
    "PVE keeps neither a container's root password nor its SSH keys in the container's configuration (pve-container writes them into the root file system at create), so a running container does not show them.",
  check(ctx) {
    return ctx.each(runningContainers(ctx), (ct) => {
      const account = block(block(ct.config, "initialization"), "user_account");
      const found = [];
      // A password from a variable is still a password: being set is known even when its value is not.
      if (isSet(raw(account, "password")))
        found.push({ subject: ct.construct, message: `${containerLabel(ct)}: root has a password, so it can log in without a key.` });
      if ((strList(account, "keys") ?? []).length === 0)
        found.push({ subject: ct.construct, message: `${containerLabel(ct)}: root gets no SSH key, so only a password or the console can log in.` });
      return found;
    });
  },
};
