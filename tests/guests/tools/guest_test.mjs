#!/usr/bin/env node
// One CTest case: runs a guest component on one host and judges its report lines.
//
//   guest_test.mjs --host broker|shim --guest G.wasm --name NAME --results DIR --expect cases|trap
//                  [--policy FILE] [--daemon BIN] [--runner BIN]             (broker host)
//                  [--node-modules DIR] [--cache DIR] [--deviations FILE]    (shim host)
//                  [-- GUEST_ARGS...]
//
// broker: starts a private `wasi-socketd --listen SOCKET [--policy FILE]` and runs
//         `wasi-socket-run --broker SOCKET G.wasm` against it (guest -> adapter -> gRPC -> kernel).
// shim:   runs the guest on plain preview2-shim. Failures listed in the deviations file are known
//         shim deviations from the WIT: reported, not counted as failures of ours.
//
// "cases" guests pass when every case printed "ok" and the summary line arrived. "trap" guests
// pass when the run stops with a non-zero status right after "expect-trap NAME", without a FAIL
// line and without reaching the summary (a guest that survives the call prints FAIL instead).
// The raw output goes to RESULTS/HOST/NAME.txt for compare_hosts.mjs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseReport } from "./report.mjs";

const RUN_TIMEOUT_MS = 60_000;
const DAEMON_START_TIMEOUT_MS = 10_000;
const toolsDir = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { guestArgs: [] };
  const split = argv.indexOf("--");
  if (split >= 0) {
    opts.guestArgs = argv.slice(split + 1);
    argv = argv.slice(0, split);
  }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    opts[key] = argv[i + 1];
  }
  for (const key of ["host", "guest", "name", "results", "expect"]) {
    if (!opts[key]) throw new Error(`missing --${key}`);
  }
  return opts;
}

// Runs a command to completion with a timeout; resolves with {status, signal, stdout, stderr}.
function run(cmd, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, RUN_TIMEOUT_MS);
    child.on("error", (err) => {
      clearTimeout(timer);
      resolvePromise({ status: 127, signal: null, stdout, stderr: `${stderr}${err.message}\n`, timedOut });
    });
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr, timedOut });
    });
  });
}

async function waitForSocket(path, daemon) {
  const deadline = Date.now() + DAEMON_START_TIMEOUT_MS;
  while (!existsSync(path)) {
    if (daemon.exitCode !== null) throw new Error(`wasi-socketd exited with status ${daemon.exitCode}`);
    if (Date.now() > deadline) throw new Error(`wasi-socketd did not create ${path}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function runOnBroker(opts) {
  for (const bin of [opts.daemon, opts.runner]) {
    if (!bin || !existsSync(bin)) throw new Error(`${bin ?? "--daemon/--runner"} is not built`);
  }
  const dir = mkdtempSync(join(tmpdir(), "wasi-socketd-guest-"));
  const socket = join(dir, "broker.sock");
  const daemonArgs = ["--listen", socket, ...(opts.policy ? ["--policy", resolve(opts.policy)] : [])];
  const daemon = spawn(opts.daemon, daemonArgs, { stdio: ["ignore", "ignore", "pipe"] });
  let daemonLog = "";
  daemon.stderr.on("data", (d) => (daemonLog += d));
  try {
    await waitForSocket(socket, daemon);
    const result = await run(opts.runner, ["--broker", socket, opts.guest, ...opts.guestArgs]);
    if (daemon.exitCode !== null) result.stderr += `\nwasi-socketd exited early (status ${daemon.exitCode})\n`;
    result.stderr += daemonLog ? `\n--- wasi-socketd log ---\n${daemonLog}` : "";
    return result;
  } finally {
    daemon.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOnShim(opts) {
  const cache = opts.cache ?? join(dirname(opts.results), "shim-cache");
  return run(process.execPath, [
    join(toolsDir, "run_on_shim.mjs"), "--node-modules", opts.nodeModules, "--cache", cache, opts.guest,
    ...opts.guestArgs,
  ]);
}

function knownDeviations(file) {
  if (!file || !existsSync(file)) return new Map();
  const entries = readFileSync(file, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  return new Map(entries.map((l) => { const [name, ...why] = l.split(/\s+/); return [name, why.join(" ")]; }));
}

function judge(opts, result, report) {
  const problems = [];
  if (result.timedOut) problems.push(`timed out after ${RUN_TIMEOUT_MS / 1000} s`);
  const deviations = opts.host === "shim" ? knownDeviations(opts.deviations) : new Map();
  const failures = report.cases.filter((c) => c.outcome === "FAIL");
  const unexplained = failures.filter((c) => !deviations.has(c.name));
  for (const c of failures) {
    if (deviations.has(c.name)) console.log(`known shim deviation ${c.name}: ${deviations.get(c.name)}`);
  }
  for (const c of unexplained) problems.push(`FAIL ${c.name}: ${c.detail}`);
  if (opts.expect === "trap") {
    if (!report.expectedTrap) problems.push("the guest never reached the trapping call");
    else if (report.finished || result.status === 0) problems.push(`${report.expectedTrap} did not trap`);
  } else {
    if (!report.finished) problems.push(`the guest did not finish (status ${result.status}, signal ${result.signal})`);
    else if (result.status !== 0 && unexplained.length === 0 && failures.length === 0) {
      problems.push(`exit status ${result.status} without a failed case`);
    }
    if (report.cases.length === 0) problems.push("no case reported");
  }
  return problems;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const result = opts.host === "broker" ? await runOnBroker(opts) : await runOnShim(opts);
  const report = parseReport(result.stdout, result.status);
  const outFile = join(opts.results, opts.host, `${opts.name}.txt`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${result.stdout}# exit ${result.status ?? result.signal}\n`);

  process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  const problems = judge(opts, result, report);
  if (problems.length > 0) {
    console.log(`guest ${opts.name} on ${opts.host}: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  ${p}`);
    process.exit(1);
  }
  console.log(`guest ${opts.name} on ${opts.host}: passed`);
}

main().catch((err) => {
  console.error(`guest_test: ${err?.message ?? err}`);
  process.exit(1);
});
