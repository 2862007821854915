// ESLint (flat config): typescript-eslint's type-aware recommended rules over every TypeScript file
// of the project. Formatting is prettier's job (.prettierrc.json), not ESLint's.
//
// One named exception: in tests, the no-unsafe-* family is off. Tests read synthesised Terraform JSON,
// API replies and reports as untyped data (JSON.parse) and assert on them with `expect`, which is the
// check those rules would ask for; typing every fixture would add casts, not safety. Library code,
// the CLI, the simulator, scripts and benches get every rule.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", ".gen/**", ".toolchain/**", ".cache/**", "cdktf.out/**", "coverage/**", "**/*.js", "**/*.mjs", "**/*.cjs"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ["__tests__/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // For the same reason, `any` is allowed in tests that drill into that untyped data (synthesised
    // resources, simulator state, draft specs, SARIF logs) as Record<string, any>: only `any` allows
    // `vm.initialization[0].user_account[0].keys`.
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // CLI commands load their heavy modules with require() inside run(), so `proxmox-cdk --help`
    // stays fast; import() would bypass the tsx CommonJS hook bin/ runs the sources with.
    files: ["cli/commands/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // `const { count: _c, ...vmProps } = props` takes a group's own props out of its members' props.
    rules: { "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }] },
  },
);
