// Parses the report lines guests print (see lib/wasi_guest/check.h):
//   "ok NAME", "FAIL NAME: detail", "skip NAME: reason", "expect-trap NAME", "# N passed, M failed" (the summary).
import { TRAP_STATUS } from "./verdict.mjs";

// A trap guest that stopped after its marker yields a case NAME with outcome "trap".
export function parseReport(stdout, status) {
  const cases = [];
  let expectedTrap = null;
  let finished = false;
  for (const line of stdout.split("\n")) {
    let m;
    if ((m = /^ok (\S+)/.exec(line))) cases.push({ name: m[1], outcome: "ok", detail: "" });
    else if ((m = /^FAIL (\S+?): (.*)$/.exec(line))) cases.push({ name: m[1], outcome: "FAIL", detail: m[2] });
    else if ((m = /^skip (\S+?): (.*)$/.exec(line))) cases.push({ name: m[1], outcome: "skip", detail: m[2] });
    else if ((m = /^expect-trap (\S+)/.exec(line))) expectedTrap = m[1];
    else if (/^# \d+ passed, \d+ failed/.test(line)) finished = true;
  }
  if (expectedTrap && !finished && !cases.some((c) => c.name === expectedTrap)) {
    const trapped = status === TRAP_STATUS;
    cases.push({ name: expectedTrap, outcome: trapped ? "trap" : "FAIL", detail: trapped ? "" : "no trap" });
  }
  return { cases, expectedTrap, finished };
}

// Reads a results file written by guest_test.mjs (stdout + "# exit STATUS").
export function parseResultsFile(text) {
  const m = /^# exit (\S+)$/m.exec(text);
  const status = m ? Number(m[1]) : null;
  return parseReport(text, Number.isNaN(status) ? -1 : status);
}
