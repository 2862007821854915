#!/usr/bin/env node
// In a clone (TypeScript sources present) runs cli/main.ts through tsx; in the published package,
// the compiled dist/cli/main.js.
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "..", "cli", "main.ts");
let cli;
if (fs.existsSync(source)) {
  require("tsx/cjs");
  cli = require(source);
} else {
  cli = require(path.join(__dirname, "..", "dist", "cli", "main.js"));
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code));
