import type { Route } from "../route";
import { storageConfigRoutes } from "./storage-config";
import { storageContentRoutes } from "./storage-content";
import { storageDownloadRoutes } from "./storage-download";
import { storageStatusRoutes } from "./storage-status";

/** The storage family: storages, their configuration, status, content, downloads and uploads. */
export const routes: Route[] = [...storageStatusRoutes, ...storageConfigRoutes, ...storageContentRoutes, ...storageDownloadRoutes];
