#!/usr/bin/env node
// One CTest case: runs a guest component on one host and judges its report lines.
//
//   guest_test.mjs --host broker|shim|no-broker --guest G.wasm --name NAME --results DIR --expect cases|trap|trap-or-ok
//                  [--policy FILE | --preferred-policy FILE]
//                  [--daemon BIN] [--runner BIN]                              (broker host)
//                  [--node-modules DIR] [--cache DIR] [--deviations FILE]    (shim host)
//                  [--timeout SECONDS]                                       (default 60)
//                  [-- GUEST_ARGS...]
//
// broker: starts a private `wasi-socketd --listen SOCKET [--policy FILE]` and runs
//         `wasi-socket-run --broker SOCKET G.wasm` against it (guest -> adapter -> gRPC -> kernel).
//         --preferred-policy is used only if the daemon knows --policy (else its built-in default,
//         with a note); --policy is required: without daemon support the test reports itself
//         skipped (status 77).
// no-broker: `wasi-socket-run --no-broker G.wasm` (the runner's import object on preview2-shim).
// shim:   runs the guest on plain preview2-shim. Failures listed in the deviations file are known
//         shim deviations from the WIT: reported, not counted as failures of ours.
//
// "cases" guests pass when every case printed "ok" and the summary line arrived. "trap" guests
// pass when the run stops with a non-zero status right after "expect-trap NAME", without a FAIL
// line and without reaching the summary (a guest that survives the call prints FAIL instead).
// "trap-or-ok" guests may do either (the WIT says "may trap").
// The raw output goes to RESULTS/HOST/NAME.txt for compare_hosts.mjs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startDaemon } from "./broker_daemon.mjs";
import { parseReport } from "./report.mjs";
import { judge, knownDeviations } from "./verdict.mjs";

const RUN_TIMEOUT_MS = 60_000;
const SKIP_STATUS = 77; // CTest SKIP_RETURN_CODE of the guest tests
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

const timeoutMs = (opts) => (opts.timeout ? Number(opts.timeout) * 1000 : RUN_TIMEOUT_MS);

// Runs a command to completion with a timeout; resolves with {status, signal, stdout, stderr}.
function run(cmd, args, options = {}, timeoutMs = RUN_TIMEOUT_MS) {
  return new Promise((resolvePromise) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
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

function daemonKnowsPolicy(daemon) {
  const help = spawnSync(daemon, ["--help"], { encoding: "utf8", timeout: 10_000 });
  return `${help.stdout}${help.stderr}`.includes("--policy");
}

function policyFor(opts) {
  if (opts.policy) {
    if (!daemonKnowsPolicy(opts.daemon)) {
      console.log("skipped: this wasi-socketd has no --policy option, so the policy cannot be applied");
      process.exit(SKIP_STATUS);
    }
    return opts.policy;
  }
  if (opts.preferredPolicy && !daemonKnowsPolicy(opts.daemon)) {
    console.log("note: wasi-socketd has no --policy; running with its built-in default policy");
    return undefined;
  }
  return opts.preferredPolicy;
}

async function runOnBroker(opts) {
  if (!opts.runner || !existsSync(opts.runner)) throw new Error(`${opts.runner ?? "--runner"} is not built`);
  const daemon = await startDaemon(opts.daemon, { policy: policyFor(opts) });
  try {
    const result = await run(opts.runner, ["--broker", daemon.socket, opts.guest, ...opts.guestArgs], {},
                             timeoutMs(opts));
    if (daemon.exited()) result.stderr += `\nwasi-socketd exited early (status ${daemon.child.exitCode})\n`;
    result.stderr += daemon.log ? `\n--- wasi-socketd log ---\n${daemon.log}` : "";
    return result;
  } finally {
    daemon.stop();
  }
}

// Deviations whose reason starts with this marker end the whole shim process (an uncaught host
// exception): the guest is told not to run them (WASI_GUEST_NOT_RUN) and reports them skipped.
const ENDS_PROCESS = "[ends the process]";

function runOnShim(opts) {
  const cache = opts.cache ?? join(dirname(opts.results), "shim-cache");
  const notRun = [...knownDeviations(opts.deviations)]
    .filter(([, why]) => why.startsWith(ENDS_PROCESS))
    .map(([name]) => name);
  return run(process.execPath, [
    join(toolsDir, "run_on_shim.mjs"), "--node-modules", opts.nodeModules, "--cache", cache, opts.guest,
    ...opts.guestArgs,
  ], { env: { ...process.env, WASI_GUEST_NOT_RUN: notRun.join(",") } }, timeoutMs(opts));
}

// `wasi-socket-run --no-broker`: the runner's own import object on preview2-shim's sockets.
async function runWithoutBroker(opts) {
  if (!opts.runner || !existsSync(opts.runner)) throw new Error(`${opts.runner ?? "--runner"} is not built`);
  return run(opts.runner, ["--no-broker", opts.guest, ...opts.guestArgs], {}, timeoutMs(opts));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const hosts = { broker: runOnBroker, shim: runOnShim, "no-broker": runWithoutBroker };
  if (!hosts[opts.host]) throw new Error(`unknown --host ${opts.host}`);
  const result = await hosts[opts.host](opts);
  const report = parseReport(result.stdout, result.status);
  const outFile = join(opts.results, opts.host, `${opts.name}.txt`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${result.stdout}# exit ${result.status ?? result.signal}\n`);

  process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  const deviations = opts.host === "shim" ? knownDeviations(opts.deviations) : new Map();
  for (const c of report.cases) {
    if (c.outcome === "FAIL" && deviations.has(c.name)) {
      console.log(`known shim deviation ${c.name}: ${deviations.get(c.name)}`);
    }
  }
  if (result.timedOut) result.stderr += `\ntimed out after ${timeoutMs(opts) / 1000} s\n`;
  const problems = judge(opts.expect, result, report, deviations);
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
