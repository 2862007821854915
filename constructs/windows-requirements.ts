/**
 * What Windows 10/11 need of a VM, in one place for WindowsVm and the environment spec (a module
 * without provider bindings, so the spec can load it before the bindings exist).
 */

/** The Windows versions WindowsVm installs (PVE `ostype`). */
export const WINDOWS_OS_TYPES = ["win11", "win10"] as const;

/** A Windows version (PVE `ostype`). */
export type WindowsOsType = (typeof WINDOWS_OS_TYPES)[number];

/** Windows 11's minimum hardware (Microsoft's system requirements): 2 cores, 4 GiB memory, 64 GB storage. */
export const WINDOWS_MINIMUMS = { cores: 2, memoryMiB: 4096, diskGiB: 64 } as const;

/** Sizes a Windows VM gets when none are given: room for updates and an application. */
export const WINDOWS_DEFAULTS = { cores: 4, memoryMiB: 8192, diskGiB: 80, osType: "win11" } as const;

/** A Windows computer name is a NetBIOS name: at most 15 characters. */
export const WINDOWS_NAME_MAX_LENGTH = 15;
