/**
 * The checksum PVE verifies a download against (`download-url`'s `checksum`/`checksum-algorithm`),
 * shared by every construct that has PVE download a file.
 */

/** Checksum algorithms PVE verifies downloads with. */
export type ChecksumAlgorithm = "sha256" | "sha512";

/**
 * Throws unless `checksum` is the lowercase hex digest of `algorithm` (64 digits for sha256, 128
 * for sha512), naming the construct and the field.
 */
export function checkChecksum(owner: string, field: string, checksum: string, algorithm: ChecksumAlgorithm): void {
  const hexLength = algorithm === "sha256" ? 64 : 128;
  if (!new RegExp(`^[0-9a-f]{${hexLength}}$`).test(checksum)) {
    throw new Error(
      `${owner}: ${field} must be ${hexLength} lowercase hex digits for ${algorithm}, got "${checksum}" — copy it from the published SHA${algorithm.slice(3)}SUMS file.`,
    );
  }
}

/** Throws unless `url` is an http(s) URL. */
export function checkDownloadUrl(owner: string, field: string, url: string, what: string): void {
  if (!/^https?:\/\/[^\s]+$/.test(url)) {
    throw new Error(`${owner}: ${field} "${url}" must be an http(s) URL of ${what}.`);
  }
}

/** The last path segment of a URL (query and fragment removed): the name PVE stores it under by default. */
export function urlFileName(url: string): string {
  return url.split(/[?#]/)[0].split("/").pop() ?? "";
}
