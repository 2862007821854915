import type { Route } from "../route";
import { storageContentRoutes } from "./storage-content";
import { storageDownloadRoutes } from "./storage-download";
import { storageStatusRoutes } from "./storage-status";

/** The storage family: storages and their status, content, downloads and uploads. */
export const routes: Route[] = [...storageStatusRoutes, ...storageContentRoutes, ...storageDownloadRoutes];
