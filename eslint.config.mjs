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
);
