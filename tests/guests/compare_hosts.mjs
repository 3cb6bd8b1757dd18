#!/usr/bin/env node
// Lists every case where the broker and plain preview2-shim disagree, from the results the guest
// tests left in RESULTS/{broker,shim}/*.txt, and writes the list to OUT (host-differences.txt).
// The broker's verdict follows the WIT; a difference is information (often a shim deviation),
// so this only fails when there is nothing to compare.
//
// Usage: compare_hosts.mjs RESULTS_DIR OUT_FILE
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseResultsFile } from "./tools/report.mjs";

function outcomes(dir) {
  const byCase = new Map();
  if (!existsSync(dir)) return byCase;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
    const report = parseResultsFile(readFileSync(join(dir, file), "utf8"));
    for (const c of report.cases) byCase.set(c.name, c);
  }
  return byCase;
}

const [resultsDir, outFile] = process.argv.slice(2);
if (!resultsDir || !outFile) {
  console.error("usage: compare_hosts.mjs RESULTS_DIR OUT_FILE");
  process.exit(2);
}
const broker = outcomes(join(resultsDir, "broker"));
const shim = outcomes(join(resultsDir, "shim"));
const names = [...new Set([...broker.keys(), ...shim.keys()])].sort();
const describe = (c) => (c ? (c.detail ? `${c.outcome} (${c.detail})` : c.outcome) : "not run");

const lines = [];
const oneHostOnly = [];
let agree = 0;
for (const name of names) {
  const b = broker.get(name), s = shim.get(name);
  if (!b || !s) oneHostOnly.push(`${name} (${b ? "broker" : "shim"} only: ${describe(b ?? s)})`);
  else if (b.outcome === s.outcome) agree++;
  else lines.push(`${name}\n  broker: ${describe(b)}\n  shim:   ${describe(s)}`);
}
const header = [
  "# Where wasi-socketd (broker) and plain preview2-shim disagree, case by case.",
  `# ${names.length} cases: ${agree} agree, ${lines.length} differ, ${oneHostOnly.length} ran on one host only.`,
];
// Per CONFORMANCE section (the case name's prefix): how each host fared.
const tally = (map, section) => {
  const counts = {};
  for (const [name, c] of map) if (name.split(".")[0] === section) counts[c.outcome] = (counts[c.outcome] ?? 0) + 1;
  return ["ok", "trap", "skip", "FAIL"].filter((o) => counts[o]).map((o) => `${counts[o]} ${o}`).join(", ") || "-";
};
const sections = [...new Set(names.map((n) => n.split(".")[0]))];
header.push("# section: broker | shim");
for (const section of sections) header.push(`#   ${section}: ${tally(broker, section)} | ${tally(shim, section)}`);
header.push("", "");
const footer = oneHostOnly.length ? ["", "# Ran on one host only:", ...oneHostOnly] : [];
const text = `${header.join("\n")}${[...lines, ...footer].join("\n")}\n`;
writeFileSync(outFile, text);
process.stdout.write(text);
if (names.length === 0) {
  console.error("no guest results found: run the guest tests first (ctest -L guests)");
  process.exit(1);
}
