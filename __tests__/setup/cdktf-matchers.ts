import { Testing } from "cdktf";

Testing.setupJest();

/* eslint-disable @typescript-eslint/no-namespace */
declare global {
  namespace jest {
    interface Matchers<R> {
      toHaveResource(resourceType: unknown): R;
      toHaveResourceWithProperties(resourceType: unknown, properties: Record<string, unknown>): R;
      toHaveDataSource(dataSourceType: unknown): R;
      toHaveDataSourceWithProperties(dataSourceType: unknown, properties: Record<string, unknown>): R;
      toHaveProvider(providerType: unknown): R;
      toHaveProviderWithProperties(providerType: unknown, properties: Record<string, unknown>): R;
      toBeValidTerraform(): R;
      toPlanSuccessfully(): R;
    }
  }
}
