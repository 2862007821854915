// Writes jest's aggregated results as JSON to .toolchain/jest-results.json, so that .ci/run can
// print a plain "N passed, N failed" line computed from them.
const fs = require("fs");
const path = require("path");

class JestSummaryReporter {
  onRunComplete(_contexts, results) {
    const out = path.join(__dirname, "..", ".toolchain", "jest-results.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(results));
    fs.renameSync(tmp, out);
  }
}
module.exports = JestSummaryReporter;
