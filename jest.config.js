/**
 * Jest runs TypeScript through ts-jest in isolatedModules mode: each file is transpiled alone, with
 * no type check (`tsc --noEmit` in `npm test` is the type check). Pure JavaScript on purpose: the
 * native-binary alternatives (@swc/jest, jest 30's resolver) have platform packages that a
 * package-lock cannot always record, which breaks `npm ci`.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.tsx?$": [
      "ts-jest",
      { diagnostics: false, tsconfig: { target: "ES2022", module: "commonjs", esModuleInterop: true, resolveJsonModule: true, isolatedModules: true } },
    ],
  },
  setupFiles: ["<rootDir>/__tests__/setup/toolchain-env.ts"],
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup/cdktf-matchers.ts"],
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
};
