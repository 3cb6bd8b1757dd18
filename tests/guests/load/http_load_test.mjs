#!/usr/bin/env node
// Load test of an event-loop HTTP server guest (event_server.c) served through the broker.
//
//   http_load_test.mjs --daemon BIN --runner BIN --guest event_server.wasm [--policy FILE]
//                      [--connections 1,4,64,512] [--seconds 1] [-- GUEST_ARGS...]
//
// --seconds defaults to $WASI_SOCKETD_LOAD_SECONDS, else 1: a slow build (the sanitizer stage)
// needs longer bursts for wrk's 512 connections to be accepted and answered at all.
//
// For each connection count: a `wrk` burst with keep-alive, one with "Connection: close", then
// clients that vanish mid-request (half a request head, then a close or a reset). After every
// burst the guest must still answer a fresh request and the daemon's descriptors must come back
// to their count before the burst. At the end GET /quit must make the guest exit 0: a guest that
// trapped at any point ("unknown resource handle", a drop refused) fails the test.
// Without `wrk` on the PATH the test reports itself skipped (status 77).
import { spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { request } from "node:http";
import { startDaemon } from "../tools/broker_daemon.mjs";

const SKIP_STATUS = 77;
const ANSWER_TIMEOUT_MS = 10_000;
const FD_SETTLE_TIMEOUT_MS = 10_000;

function parseArgs(argv) {
  const opts = {
    connections: "1,4,64,512",
    seconds: process.env.WASI_SOCKETD_LOAD_SECONDS || "1",
    guestArgs: [],
  };
  const split = argv.indexOf("--");
  if (split >= 0) {
    opts.guestArgs = argv.slice(split + 1);
    argv = argv.slice(0, split);
  }
  for (let i = 0; i < argv.length; i += 2) opts[argv[i].replace(/^--/, "")] = argv[i + 1];
  for (const key of ["daemon", "runner", "guest"]) if (!opts[key]) throw new Error(`missing --${key}`);
  opts.connections = opts.connections.split(",").map(Number);
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

function wrk(port, connections, seconds, closeEach) {
  const args = ["-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "5s"];
  if (closeEach) args.push("-H", "Connection: close");
  const result = spawnSync("wrk", [...args, `http://127.0.0.1:${port}/`], { encoding: "utf8", timeout: 60_000 });
  const requests = /(\d+) requests in/.exec(result.stdout ?? "");
  // "Socket errors: connect 0, read 3, write 0, timeout 0": a response cut short is a read error.
  const errors = /Socket errors: (.*)/.exec(result.stdout ?? "")?.[1];
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(result.stdout ?? "")?.[1];
  return {
    status: result.status,
    requests: requests ? Number(requests[1]) : 0,
    problem: errors ? `socket errors: ${errors}` : non2xx ? `${non2xx} responses not 200` : undefined,
    output: result.stdout + result.stderr,
  };
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

async function waitForFds(daemon, baseline) {
  const deadline = Date.now() + FD_SETTLE_TIMEOUT_MS;
  let count = daemon.fdCount();
  while (count > baseline && Date.now() < deadline) {
    await sleep(50);
    count = daemon.fdCount();
  }
  return count;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (spawnSync("wrk", ["--version"]).error) {
    console.log("skipped: wrk is not installed");
    process.exit(SKIP_STATUS);
  }
  const daemon = await startDaemon(opts.daemon, { policy: opts.policy });
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
    for (const c of opts.connections) {
      bursts.push([`wrk -c${c} keep-alive`, () => wrk(port, c, opts.seconds, false)]);
      bursts.push([`wrk -c${c} Connection: close`, () => wrk(port, c, opts.seconds, true)]);
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
    if (guestAlive) await get(port, "/quit").catch((err) => problems.push(`GET /quit failed: ${err.message}`));
    const { status, signal } = await Promise.race([
      guest.exited,
      sleep(ANSWER_TIMEOUT_MS).then(() => ({ status: "still running", signal: null })),
    ]);
    if (status !== 0) problems.push(`guest ended with ${status ?? signal}, not 0 after GET /quit`);
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
