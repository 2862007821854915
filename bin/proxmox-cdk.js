#!/usr/bin/env node
// Runs the compiled CLI from the published package, or the TypeScript sources in a clone (via tsx).
const fs = require("fs");
const path = require("path");

const compiled = path.join(__dirname, "..", "dist", "cli", "main.js");
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require("tsx/cjs");
  cli = require(path.join(__dirname, "..", "cli", "main.ts"));
}
cli.main(process.argv.slice(2)).then((code) => process.exit(code));
