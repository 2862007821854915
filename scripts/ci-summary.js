// Prints jest's results (written by scripts/jest-summary-reporter.js) as one plain closing line:
// "N passed, N failed" (", N skipped" when any were skipped). Exits 1 when there are no results.
const fs = require("fs");
const path = require("path");

const file = path.join(__dirname, "..", ".toolchain", "jest-results.json");
let r;
try {
  r = JSON.parse(fs.readFileSync(file, "utf8"));
} catch (e) {
  console.log("0 passed, 1 failed");
  console.error(`no jest results at ${file}: ${e.message}`);
  process.exit(1);
}
const failed = r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
