/** Jest runs TypeScript through SWC (no type check: `tsc --noEmit` in `npm test` is the type check). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  setupFiles: ["<rootDir>/__tests__/setup/toolchain-env.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup/cdktf-matchers.ts"],
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
};
