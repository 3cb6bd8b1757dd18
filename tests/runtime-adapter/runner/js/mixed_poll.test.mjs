// The JS host layer's poll() over broker pollables, alone and mixed with preview2-shim pollables,
// with the real addon and a real daemon. A preview2-shim pollable that is not ready cannot be had
// from the shim's stdio (always ready), so the foreign pollable here is a shim-class object whose
// ready() the test controls.
//   node --test mixed_poll.test.mjs   (env: WASI_SOCKETD_ADDON, WASI_SOCKETD_DAEMON, ADAPTER_JS_DIR)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";

const jsDir = process.env.ADAPTER_JS_DIR;
const importFrom = (path) => import(pathToFileURL(path).href);
const { loadAddon, openBrokerHost, closeBrokerHost, createBrokerInterfaces } =
  await importFrom(join(jsDir, "broker-host.js"));
// The same module instance the JS layer imports "@bytecodealliance/preview2-shim/io" as.
const shimIo = await importFrom(
  join(jsDir, "../node_modules/@bytecodealliance/preview2-shim/dist/nodejs/io.js"));

const MS = 1_000_000n;
let dir, daemon, host, poll, Pollable, clock;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "wasi-socketd-poll-test-"));
  const socket = join(dir, "broker.sock");
  daemon = spawn(process.env.WASI_SOCKETD_DAEMON, ["--listen", socket, "--log-level", "warn"],
                 { stdio: "inherit" });
  for (let i = 0; i < 500 && !existsSync(socket); ++i) await new Promise((r) => setTimeout(r, 20));
  host = openBrokerHost(loadAddon(process.env.WASI_SOCKETD_ADDON), socket);
  const interfaces = createBrokerInterfaces(host);
  ({ poll, Pollable } = interfaces["wasi:io/poll"]);
  clock = interfaces["wasi:clocks/monotonic-clock"];
});

after(() => {
  if (host) closeBrokerHost(host);
  daemon?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

// A preview2-shim pollable whose readiness the test decides.
function foreignPollable(isReady) {
  const pollable = Object.create(shimIo.poll.Pollable.prototype);
  pollable.ready = isReady;
  return pollable;
}

function timed(fn) {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

test("a broker clock wakes a poll that also waits on a never-ready shim pollable", () => {
  let timer;
  const { value, ms } = timed(() => {
    timer = clock.subscribeDuration(150n * MS);
    return poll([foreignPollable(() => false), timer]);
  });
  assert.deepEqual(Array.from(value), [1]);
  assert.ok(ms >= 145 && ms < 1000, `woke after ${ms} ms`);
  timer[Symbol.dispose]();
});

test("a shim pollable turning ready wakes a mixed poll (50 ms back-off), not the 10 s timer", () => {
  const readyAt = performance.now() + 300;
  const timer = clock.subscribeDuration(10_000n * MS);
  const { value, ms } = timed(() => poll([foreignPollable(() => performance.now() >= readyAt),
                                          timer]));
  assert.deepEqual(Array.from(value), [0]);
  assert.ok(ms >= 290 && ms < 1000, `woke after ${ms} ms`); // long before the 10 s timer
  timer[Symbol.dispose]();
});

test("a mixed poll reports every ready index, ours and the shim's", () => {
  const due = clock.subscribeDuration(0n);
  const later = clock.subscribeDuration(10_000n * MS);
  const value = poll([later, foreignPollable(() => true), due]);
  assert.deepEqual(Array.from(value), [1, 2]);
  due[Symbol.dispose]();
  later[Symbol.dispose]();
});

test("a poll over broker pollables only blocks until the first is ready and lists all ready", () => {
  let a, b, c;
  const { value, ms } = timed(() => {
    a = clock.subscribeDuration(50n * MS);
    b = clock.subscribeDuration(50n * MS);
    c = clock.subscribeDuration(10_000n * MS);
    return poll([a, b, c]);
  });
  assert.ok(ms >= 45 && ms < 1000, `woke after ${ms} ms`);
  assert.ok(Array.from(value).includes(0) && !Array.from(value).includes(2), `${value}`);
  for (const p of [a, b, c]) p[Symbol.dispose]();
});

test("poll([]) traps: an Error, not an error-code", () => {
  assert.throws(() => poll([]), (err) => err instanceof Error);
});

test("a dropped pollable used again traps naming the drop, not handle 0", () => {
  const timer = clock.subscribeDuration(0n);
  timer[Symbol.dispose]();
  for (const use of [() => timer.ready(), () => poll([timer])]) {
    assert.throws(use, (err) => err instanceof Error && /Pollable used after it was dropped/.test(err.message));
  }
  timer[Symbol.dispose]();  // a second drop stays a no-op
});

test("the Pollable class admits broker and shim pollables, nothing else", () => {
  const ours = clock.subscribeDuration(0n);
  assert.ok(ours instanceof Pollable);
  assert.ok(foreignPollable(() => true) instanceof Pollable);
  assert.ok(!({} instanceof Pollable));
  ours[Symbol.dispose]();
});
