// The verdict on one guest run, kept apart from process handling so it can be tested alone
// (verdict_test.mjs).
import { existsSync, readFileSync } from "node:fs";

// Reads a deviations file: "CASE/FAMILY  why" per line, # comments.
// Both hosts (wasi-socket-run and run_on_shim.mjs) exit with this status when the guest traps.
export const TRAP_STATUS = 134;

export function knownDeviations(file) {
  if (!file || !existsSync(file)) return new Map();
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  return new Map(
    entries.map((line) => {
      const [name, ...why] = line.split(/\s+/);
      return [name, why.join(" ")];
    }),
  );
}

// The problems with one run: [] means the test passes.
//   expect: "cases" | "trap" | "trap-or-ok"; result: {status, signal, timedOut}; report: parseReport().
// A trap is TRAP_STATUS after the guest's "expect-trap" line, without the summary line.
//   deviations: Map case -> why, failures the host is known for (empty for the broker).
export function judge(expect, result, report, deviations) {
  const problems = [];
  if (result.timedOut) problems.push("timed out");
  const failures = report.cases.filter((c) => c.outcome === "FAIL");
  const unexplained = failures.filter((c) => !deviations.has(c.name));
  for (const c of unexplained) problems.push(`FAIL ${c.name}: ${c.detail}`);
  const trapped = report.expectedTrap !== null && !report.finished && result.status === TRAP_STATUS;
  if (expect === "trap") {
    if (!report.expectedTrap) problems.push("the guest never reached the trapping call");
    else if (!trapped && !deviations.has(report.expectedTrap)) problems.push(`${report.expectedTrap} did not trap`);
  } else if (expect === "trap-or-ok") {
    const succeeded = report.finished && result.status === 0 && failures.length === 0;
    if (!trapped && !succeeded) problems.push("neither a trap nor a successful run");
  } else {
    if (!report.finished) problems.push(`the guest did not finish (status ${result.status}, signal ${result.signal})`);
    else if (result.status !== 0 && unexplained.length === 0 && failures.length === 0) {
      problems.push(`exit status ${result.status} without a failed case`);
    }
    if (report.cases.length === 0) problems.push("no case reported");
  }
  return problems;
}
