// wasi-socket-run's command line and import object, without a guest.
//   node --test runner_options.test.mjs   (env: ADAPTER_JS_DIR)
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const jsDir = process.env.ADAPTER_JS_DIR;
const { parseOptions, UsageError } = await import(pathToFileURL(join(jsDir, "cli-options.js")).href);
const { createImportObject } = await import(pathToFileURL(join(jsDir, "import-object.js")).href);

test("options end at the component: later arguments belong to the guest", () => {
  const o = parseOptions(["--broker", "/s.sock", "app.wasm", "--broker", "x", "-v"]);
  assert.equal(o.broker, "/s.sock");
  assert.equal(o.component, "app.wasm");
  assert.deepEqual(o.args, ["--broker", "x", "-v"]);
});

test("-- ends the options, so a component may start with a dash", () => {
  const o = parseOptions(["--no-broker", "--", "-odd.wasm", "a"]);
  assert.equal(o.noBroker, true);
  assert.equal(o.component, "-odd.wasm");
  assert.deepEqual(o.args, ["a"]);
});

test("--dir takes HOST or HOST::GUEST and repeats", () => {
  const o = parseOptions(["--dir", "/data", "--dir", "./in::/input", "c.wasm"]);
  assert.deepEqual(o.dirs, [{ host: "/data", guest: "/data" }, { host: "./in", guest: "/input" }]);
});

test("usage errors: unknown option, missing value, missing component, conflicting brokers", () => {
  assert.throws(() => parseOptions(["--frobnicate", "c.wasm"]), UsageError);
  assert.throws(() => parseOptions(["--broker"]), UsageError);
  assert.throws(() => parseOptions([]), UsageError);
  assert.throws(() => parseOptions(["--broker", "/s", "--no-broker", "c.wasm"]), UsageError);
});

// A validator for assert.throws: a UsageError with exactly this message.
const usage = (message) => (error) => error instanceof UsageError && error.message === message;

test("usage errors name the option, as before", () => {
  assert.throws(() => parseOptions(["--frobnicate", "c.wasm"]), usage("unknown option --frobnicate"));
  assert.throws(() => parseOptions(["-x", "c.wasm"]), usage("unknown option -x"));
  assert.throws(() => parseOptions(["--dir"]), usage("--dir needs a value"));
  assert.throws(() => parseOptions(["--no-broker"]), usage("missing COMPONENT.wasm"));
  assert.throws(() => parseOptions(["--broker", "/s", "--no-broker", "c.wasm"]),
                usage("--broker and --no-broker exclude each other"));
});

test("values may start with a dash, and --name=value works (parseArgs' syntax)", () => {
  assert.equal(parseOptions(["--cache-dir", "-cache", "c.wasm"]).cacheDir, "-cache");
  const o = parseOptions(["--broker=/s.sock", "--dir=/a::/b", "-", "x"]);
  assert.equal(o.broker, "/s.sock");
  assert.deepEqual(o.dirs, [{ host: "/a", guest: "/b" }]);
  assert.equal(o.component, "-");
  assert.deepEqual(o.args, ["x"]);
  assert.throws(() => parseOptions(["--help=yes"]), usage("--help takes no value"));
});

test("--help needs no component", () => {
  assert.equal(parseOptions(["--help"]).help, true);
});

test("broker interfaces replace the shim's; other WASI interfaces stay the shim's", () => {
  const ours = { Pollable: class {}, poll: () => [] };
  const imports = createImportObject({ broker: { "wasi:io/poll": ours }, args: ["g.wasm"] });
  assert.equal(imports["wasi:io/poll"], ours);
  assert.equal(typeof imports["wasi:random/random"].getRandomBytes, "function");
  assert.equal(typeof imports["wasi:sockets/tcp"].TcpSocket, "function"); // shim's, no broker here
  assert.deepEqual(imports["wasi:cli/environment"].getArguments(), ["g.wasm"]);
});

test("versioned interface names resolve to the same interface", () => {
  const ours = { Pollable: class {}, poll: () => [] };
  const imports = createImportObject({ broker: { "wasi:io/poll": ours }, args: [] });
  assert.equal(imports["wasi:io/poll@0.2.0"], ours);
  assert.equal(imports["wasi:io/poll@0.2.12"], ours);
  assert.equal(imports["wasi:clocks/wall-clock@0.2.3"], imports["wasi:clocks/wall-clock"]);
  assert.equal(imports["wasi:nothing/here@0.2.0"], undefined);
});
