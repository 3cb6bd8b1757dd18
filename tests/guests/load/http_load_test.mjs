#!/usr/bin/env node
// Load test of an event-loop HTTP server guest (event_server.c) served through the broker.
//
//   http_load_test.mjs --daemon BIN --runner BIN --guest event_server.wasm [--policy FILE]
//                      [--connections 1,4,64,512] [--seconds 1] [--threads 1] [--paths /]
//                      [--kill-under-load] [-- GUEST_ARGS...]
//
// --seconds defaults to $WASI_SOCKETD_LOAD_SECONDS, else 1: a slow build (the sanitizer stage)
// needs longer bursts for wrk's 512 connections to be accepted and answered at all.
//
// For each connection count: a `wrk` burst with keep-alive, one with "Connection: close", then
// clients that vanish mid-request (half a request head, then a close or a reset). After every
// burst the guest must still answer a fresh request and the daemon's descriptors must come back
// to their count before the burst. At the end GET /quit must make the guest exit 0: a guest that
// trapped at any point ("unknown resource handle", a drop refused) fails the test.
// --threads is wrk's -t. --paths: the keep-alive bursts are repeated for each path (e.g. /big, a
// response larger than a write permit); the other bursts use the first. --kill-under-load ends
// the run differently: a keep-alive burst at the largest count, the runner killed with SIGKILL in
// the middle of it, then the daemon's descriptors must return to their count before the guest
// started (its session and every socket freed) and a new guest must be served.
// Without `wrk` on the PATH the test reports itself skipped (status 77).
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { request } from "node:http";
import { startDaemon } from "../tools/broker_daemon.mjs";

const SKIP_STATUS = 77;
const ANSWER_TIMEOUT_MS = 10_000;
const FD_SETTLE_TIMEOUT_MS = 10_000;
// Bursts of a path other than the first (a large body) use at most this many connections: 256
// responses of megabytes each do not finish within a one-second burst on two cores.
const LARGE_PATH_MAX_CONNECTIONS = 16;

function parseArgs(argv) {
  const opts = {
    connections: "1,4,64,512",
    seconds: process.env.WASI_SOCKETD_LOAD_SECONDS || "1",
    threads: "1",
    paths: "/",
    guestArgs: [],
  };
  const split = argv.indexOf("--");
  if (split >= 0) {
    opts.guestArgs = argv.slice(split + 1);
    argv = argv.slice(0, split);
  }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (key === "killUnderLoad") {
      opts.killUnderLoad = true;
      i--;
    } else {
      opts[key] = argv[i + 1];
    }
  }
  for (const key of ["daemon", "runner", "guest"]) if (!opts[key]) throw new Error(`missing --${key}`);
  opts.connections = opts.connections.split(",").map(Number);
  opts.paths = opts.paths.split(",");
  return opts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts the guest; resolves with {child, port, output()} once it printed its port.
function startGuest(opts, socket) {
  const child = spawn(opts.runner, ["--broker", socket, opts.guest, ...opts.guestArgs], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((r) => child.on("close", (status, signal) => r({ status, signal })));
  const port = new Promise((resolvePort, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) resolvePort(Number(m[1]));
    });
    exited.then(({ status }) => reject(new Error(`guest exited (status ${status}) before listening: ${stderr}`)));
  });
  return { child, port, exited, output: () => `${stdout}${stderr}` };
}

// One GET through a fresh connection; resolves with the status code and body.
function get(port, path = "/") {
  return new Promise((resolveGet, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, timeout: ANSWER_TIMEOUT_MS }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolveGet({ status: res.statusCode, body }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to GET ${path} within ${ANSWER_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end();
  });
}

function wrkArgs(port, { connections, seconds, threads, closeEach, path = "/" }) {
  const args = [`-t${Math.min(threads, connections)}`, `-c${connections}`, `-d${seconds}s`, "--timeout", "5s"];
  if (closeEach) args.push("-H", "Connection: close");
  return [...args, `http://127.0.0.1:${port}${path}`];
}

// What wrk printed: requests answered and any error it counted.
function wrkSummary(status, stdout, stderr) {
  const requests = /(\d+) requests in/.exec(stdout ?? "");
  // "Socket errors: connect 0, read 3, write 0, timeout 0": a response cut short is a read error.
  const errors = /Socket errors: (.*)/.exec(stdout ?? "")?.[1];
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout ?? "")?.[1];
  return {
    status,
    requests: requests ? Number(requests[1]) : 0,
    problem: errors ? `socket errors: ${errors}` : non2xx ? `${non2xx} responses not 200` : undefined,
    output: stdout + stderr,
  };
}

function wrk(port, options) {
  const result = spawnSync("wrk", wrkArgs(port, options), { encoding: "utf8", timeout: 60_000 });
  return wrkSummary(result.status, result.stdout, result.stderr);
}

// wrk in the background: resolves with its summary when it ends.
function wrkAsync(port, options) {
  return new Promise((resolveWrk) => {
    const child = spawn("wrk", wrkArgs(port, options), { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolveWrk(wrkSummary(status, stdout, stderr)));
  });
}

// `count` clients each send half a request head, then end the connection: every other one with
// a FIN, the rest with a reset (SO_LINGER 0).
async function vanishingClients(port, count) {
  await Promise.all(
    Array.from({ length: count }, (_, i) => new Promise((resolveClient) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write("GET /half HTTP/1.1\r\nHost: x\r\n");
        setTimeout(() => (i % 2 ? socket.resetAndDestroy() : socket.destroy()), 20);
      });
      socket.on("error", () => {});
      socket.on("close", resolveClient);
    })),
  );
}

async function waitForFds(daemon, baseline, timeoutMs = FD_SETTLE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let count = daemon.fdCount();
  while (count > baseline && Date.now() < deadline) {
    await sleep(50);
    count = daemon.fdCount();
  }
  return count;
}

// The count once it held still for 300 ms (at most 5 s): the daemon's descriptors at rest.
async function stableFdCount(daemon) {
  const deadline = Date.now() + 5_000;
  let count = daemon.fdCount();
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < 300) {
    await sleep(50);
    const now = daemon.fdCount();
    if (now !== count) [count, since] = [now, Date.now()];
  }
  return count;
}

// A dead guest's sockets may linger to deliver what it wrote, for at most the daemon's linger time
// (10 s): cleanup is checked past that bound.
const KILLED_CLEANUP_TIMEOUT_MS = 15_000;

// SIGKILL of the runner in the middle of a keep-alive burst: the daemon frees the session and every
// socket (descriptors back to their count before the guest started) and serves the next guest.
async function killUnderLoad(opts, daemon, guest, port, daemonAtRest, problems) {
  const c = Math.max(...opts.connections);
  const threads = Number(opts.threads);
  const seconds = Math.max(2, Number(opts.seconds));
  // Every path at once: many small exchanges, and large responses half written.
  const bursts = opts.paths.map((path, i) =>
    wrkAsync(port, { connections: i === 0 ? c : Math.min(c, LARGE_PATH_MAX_CONNECTIONS), seconds, threads, path }));
  await sleep((seconds * 1000) / 2);
  const busy = daemon.fdCount();
  guest.child.kill("SIGKILL");
  await guest.exited;
  await Promise.all(bursts);  // their errors are expected: the server died under them
  const fds = await waitForFds(daemon, daemonAtRest, KILLED_CLEANUP_TIMEOUT_MS);
  console.log(`runner killed under wrk -c${c}: daemon fds ${busy} under load, ${fds} after, ${daemonAtRest} at rest`);
  if (fds > daemonAtRest) problems.push(`runner killed under load: daemon fds ${fds}, not back to ${daemonAtRest}`);
  if (daemon.exited()) {
    problems.push("the daemon died with the killed runner");
    return;
  }
  const next = startGuest(opts, daemon.socket);
  try {
    const nextPort = await next.port;
    const answer = await get(nextPort);
    if (answer.status !== 200) problems.push(`a new guest after the kill answered ${answer.status}`);
  } catch (err) {
    problems.push(`a new guest after the kill: ${err.message}`);
  } finally {
    next.child.kill("SIGKILL");
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("skipped: wrk is not installed");
    process.exit(SKIP_STATUS);
  }
  const daemon = await startDaemon(opts.daemon, { policy: opts.policy });
  const daemonAtRest = await stableFdCount(daemon);
  const guest = startGuest(opts, daemon.socket);
  const problems = [];
  let guestAlive = true;
  guest.exited.then(() => (guestAlive = false));
  try {
    const port = await guest.port;
    await get(port);
    const baseline = daemon.fdCount();
    console.log(`guest listening on ${port}; daemon fds at rest: ${baseline}`);
    const bursts = [];
    const { seconds } = opts;
    const threads = Number(opts.threads);
    for (const c of opts.connections) {
      for (const [i, path] of opts.paths.entries()) {
        const n = i === 0 ? c : Math.min(c, LARGE_PATH_MAX_CONNECTIONS);
        bursts.push([`wrk -t${threads} -c${n} keep-alive ${path}`,
                     () => wrk(port, { connections: n, seconds, threads, path })]);
      }
      bursts.push([`wrk -t${threads} -c${c} Connection: close`,
                   () => wrk(port, { connections: c, seconds, threads, closeEach: true })]);
      bursts.push([`${c} clients vanishing mid-request`, () => vanishingClients(port, c)]);
    }
    for (const [name, burst] of bursts) {
      const result = await burst();
      if (result?.status !== undefined && result.status !== 0) problems.push(`${name}: wrk failed: ${result.output}`);
      if (result?.requests === 0) problems.push(`${name}: no request answered`);
      if (result?.problem) problems.push(`${name}: ${result.problem}`);
      if (!guestAlive) {
        problems.push(`${name}: the guest ended during the burst`);
        break;
      }
      try {
        const answer = await get(port);
        if (answer.status !== 200) problems.push(`${name}: then GET / answered ${answer.status}`);
      } catch (err) {
        problems.push(`${name}: then GET / failed: ${err.message}`);
        break;
      }
      const fds = await waitForFds(daemon, baseline);
      if (fds > baseline) problems.push(`${name}: daemon fds ${fds}, not back to ${baseline}`);
      console.log(`${name}: ${result?.requests ?? "-"} requests; daemon fds ${fds}`);
    }
    if (opts.killUnderLoad && guestAlive) {
      await killUnderLoad(opts, daemon, guest, port, daemonAtRest, problems);
    } else {
      if (guestAlive) await get(port, "/quit").catch((err) => problems.push(`GET /quit failed: ${err.message}`));
      const { status, signal } = await Promise.race([
        guest.exited,
        sleep(ANSWER_TIMEOUT_MS).then(() => ({ status: "still running", signal: null })),
      ]);
      if (status !== 0) problems.push(`guest ended with ${status ?? signal}, not 0 after GET /quit`);
    }
  } catch (err) {
    problems.push(err.message);
  } finally {
    guest.child.kill("SIGKILL");
    daemon.stop();
  }
  if (problems.length > 0) {
    console.log(`--- guest output ---\n${guest.output()}`);
    console.log(`FAILED: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  ${p}`);
    process.exit(1);
  }
  console.log("passed");
}

main().catch((err) => {
  console.error(`http_load_test: ${err?.stack ?? err}`);
  process.exit(1);
});
