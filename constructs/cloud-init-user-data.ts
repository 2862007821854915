import { Construct } from "constructs";
import { stringify } from "yaml";
import { VirtualEnvironmentFile } from "../.gen/providers/proxmox/virtual-environment-file";
import { literalText } from "./literal-text";
import { holdsPrivateKey, isSecretKeyName, PACKAGE_NAME } from "./user-data-checks";

/** A file cloud-init writes into the guest at first boot (cloud-init `write_files`). */
export interface UserDataFile {
  /** Absolute path in the guest, e.g. `/etc/motd`. */
  readonly path: string;
  /** File content, written as given (never a secret: snippets are readable on the node). */
  readonly content: string;
  /**
   * Octal permissions.
   * @default "0644"
   */
  readonly permissions?: string;
  /**
   * Owner as `user:group`.
   * @default "root:root"
   */
  readonly owner?: string;
}

/**
 * Custom cloud-init user data. Opt-in: it reaches PVE only as a snippet, and snippets are uploaded
 * over SSH to the node (the provider needs SSH access as root there), unlike everything else,
 * which goes through the API. Reported by the policy pack (PVE-CI-004).
 */
export interface CloudInitUserData {
  /**
   * Packages to install at first boot; `openssh-server` is always added.
   * @default none (only openssh-server)
   */
  readonly packages?: readonly string[];
  /**
   * Commands run once at first boot (cloud-init `runcmd`): a string runs through `sh -c`, a list is
   * an argv run without a shell.
   * @default none
   */
  readonly runcmd?: ReadonlyArray<string | readonly string[]>;
  /**
   * Files written at first boot.
   * @default none
   */
  readonly writeFiles?: readonly UserDataFile[];
  /**
   * Datastore the snippet is uploaded to (needs the `snippets` content type).
   * @default "local"
   */
  readonly snippetDatastoreId?: string;
}

/** Who logs in: the hardened user the cloud-config must still create (PVE ignores ciuser/sshkeys under `cicustom user=`). */
export interface UserDataLogin {
  readonly hostname: string;
  readonly username: string;
  readonly sshKeys: readonly string[];
}

const KNOWN_KEYS: Readonly<Record<string, readonly string[]>> = {
  userData: ["packages", "runcmd", "writeFiles", "snippetDatastoreId"],
  writeFiles: ["path", "content", "permissions", "owner"],
};

function checkKeys(owner: string, where: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    if (isSecretKeyName(key)) {
      throw new Error(
        `${owner}: ${where}.${key} is refused — secrets never go into a cloud-init snippet (it is a plain file on the node); the user logs in with SSH keys, and a password stays off.`,
      );
    }
    throw new Error(`${owner}: ${where}.${key} is not a user-data setting; use ${known.join(", ")}.`);
  }
}

/** Checks user data for what must never reach a snippet (secrets) and for malformed entries. */
export function checkUserData(owner: string, data: CloudInitUserData): void {
  checkKeys(owner, "userData", data, KNOWN_KEYS.userData);
  for (const [i, p] of (data.packages ?? []).entries()) {
    if (!PACKAGE_NAME.test(p)) throw new Error(`${owner}: userData.packages[${i}] "${p}" is not a package name (letters, digits, + . : = ~ -).`);
  }
  for (const [i, f] of (data.writeFiles ?? []).entries()) {
    checkKeys(owner, `userData.writeFiles[${i}]`, f, KNOWN_KEYS.writeFiles);
    if (!f.path.startsWith("/") || f.path.split("/").includes("..") || f.path.includes("\0")) {
      throw new Error(`${owner}: userData.writeFiles[${i}].path "${f.path}" must be an absolute guest path without "..".`);
    }
    if (holdsPrivateKey(f.content)) {
      throw new Error(
        `${owner}: userData.writeFiles[${i}] (${f.path}) holds a private key — secrets never go into a snippet; deliver it with a secrets manager after boot.`,
      );
    }
    if (f.permissions !== undefined && !/^0?[0-7]{3}$/.test(f.permissions))
      throw new Error(`${owner}: userData.writeFiles[${i}].permissions "${f.permissions}" is not octal like 0644.`);
  }
  for (const [i, c] of (data.runcmd ?? []).entries()) {
    if ((Array.isArray(c) ? c.length === 0 : c === "") || (Array.isArray(c) && c.some((a) => typeof a !== "string"))) {
      throw new Error(`${owner}: userData.runcmd[${i}] is empty; give a command string or a non-empty argv list.`);
    }
  }
}

/**
 * The cloud-config document (YAML rendered by the `yaml` package): the hardened user with its SSH
 * keys, locked password, no SSH password login, no root login, openssh-server plus the packages,
 * the files and the commands. Nothing else, and never a password.
 */
export function renderCloudConfig(login: UserDataLogin, data: CloudInitUserData): string {
  const doc: Record<string, unknown> = {
    hostname: login.hostname,
    manage_etc_hosts: true,
    users: [
      {
        name: login.username,
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [...login.sshKeys],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    package_update: true,
    packages: [...new Set(["openssh-server", ...(data.packages ?? [])])],
  };
  if (data.writeFiles?.length) {
    doc.write_files = data.writeFiles.map((f) => ({ path: f.path, content: f.content, permissions: f.permissions ?? "0644", owner: f.owner ?? "root:root" }));
  }
  if (data.runcmd?.length) doc.runcmd = data.runcmd.map((c) => (typeof c === "string" ? c : [...c]));
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}

/** Props of {@link UserDataSnippet}. */
export interface UserDataSnippetProps {
  /** Node the snippet is stored on (the VM's node: `local` is not shared). */
  readonly node: string;
  /** File name in the datastore's `snippets/` directory. */
  readonly fileName: string;
  readonly login: UserDataLogin;
  readonly userData: CloudInitUserData;
}

/** The cloud-config uploaded as a snippet (`proxmox_virtual_environment_file`, content type `snippets`). */
export class UserDataSnippet extends Construct {
  /** Volume id of the snippet (`local:snippets/<file>`), for `initialization.user_data_file_id`. */
  readonly fileId: string;
  /** The cloud-config text as the guest receives it. */
  readonly cloudConfig: string;
  readonly resource: VirtualEnvironmentFile;

  constructor(scope: Construct, id: string, props: UserDataSnippetProps) {
    super(scope, id);
    this.cloudConfig = renderCloudConfig(props.login, props.userData);
    this.resource = new VirtualEnvironmentFile(
      this,
      "file",
      literalText({
        nodeName: props.node,
        datastoreId: props.userData.snippetDatastoreId ?? "local",
        contentType: "snippets",
        sourceRaw: { data: this.cloudConfig, fileName: props.fileName },
      }),
    );
    this.fileId = this.resource.id;
  }
}
