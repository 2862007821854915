import { execFile } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";

const run = promisify(execFile);

/** A CA and a server certificate for 127.0.0.1 / localhost, as PEM files. */
export interface SimCertificates {
  /** CA certificate to trust (`SSL_CERT_FILE=<caCertPath>`). */
  readonly caCertPath: string;
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
}

const OPENSSL = "openssl";

async function openssl(args: string[], dir: string): Promise<void> {
  try {
    await run(OPENSSL, args, { cwd: dir });
  } catch (e) {
    const err = e as Error & { stderr?: string; code?: string };
    const hint = err.code === "ENOENT" ? "install the openssl package (Debian: apt-get install openssl)" : (err.stderr ?? err.message).trim();
    throw new Error(`Simulator TLS setup: \`openssl ${args[0]}\` failed in ${dir}: ${hint}`);
  }
}

function usable(c: SimCertificates): boolean {
  if (![c.caCertPath, c.serverCertPath, c.serverKeyPath].every((f) => fs.existsSync(f))) return false;
  const cert = new crypto.X509Certificate(fs.readFileSync(c.serverCertPath));
  return new Date(cert.validTo).getTime() > Date.now() + 86_400_000;
}

/**
 * Makes (or reuses, when still valid) a private CA and a server certificate signed by it with
 * subjectAltName IP:127.0.0.1 and DNS:localhost, via the `openssl` CLI, in `dir` (keys mode 0600).
 * Reuse keeps a CA that clients were told to trust valid across restarts of a stateful simulator.
 */
export async function ensureCertificates(dir: string): Promise<SimCertificates> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certs: SimCertificates = {
    caCertPath: path.join(dir, "ca.pem"),
    serverCertPath: path.join(dir, "server.pem"),
    serverKeyPath: path.join(dir, "server.key"),
  };
  if (usable(certs)) return certs;
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "3650",
      "-subj",
      "/CN=proxmox-cdk PVE simulator CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  await openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], dir);
  fs.writeFileSync(
    path.join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  const serial = `0x${crypto.randomBytes(16).toString("hex")}`;
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-set_serial",
      serial,
      "-days",
      "825",
      "-out",
      "server.pem",
      "-extfile",
      "server.ext",
    ],
    dir,
  );
  for (const f of ["ca.key", "server.key"]) fs.chmodSync(path.join(dir, f), 0o600);
  fs.rmSync(path.join(dir, "server.csr"), { force: true });
  return certs;
}
