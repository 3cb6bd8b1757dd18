// jco's glue after glue-patches.js: its debug-log guard reads JCO_DEBUG once per run instead of
// on every WASI call (each process.env read costs Node about 240 ns), and JCO_DEBUG=1 still turns
// jco's logging on. The guest runs through the real wasi-socket-run; a preloaded module counts
// the glue's reads of process.env.JCO_DEBUG.
//   node --test glue_patches.test.mjs   (env: ADAPTER_JS_DIR, WASI_SOCKET_RUN, GUEST_DIR)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";

const { patchGlue } = await import(pathToFileURL(join(process.env.ADAPTER_JS_DIR, "glue-patches.js")).href);
const runner = process.env.WASI_SOCKET_RUN;
const guest = join(process.env.GUEST_DIR, "runner_stdio.wasm");
const scratch = mkdtempSync(join(tmpdir(), "glue-patches-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Replaces process.env with a proxy that counts reads of JCO_DEBUG; the count goes to $COUNT_FILE.
const counter = join(scratch, "count-jco-debug-reads.mjs");
writeFileSync(counter, `
  import { writeFileSync } from "node:fs";
  const real = process.env;
  const countFile = real.COUNT_FILE;
  let reads = 0;
  process.env = new Proxy(real, {
    get(target, key) { if (key === "JCO_DEBUG") reads++; return target[key]; },
  });
  process.on("exit", () => writeFileSync(countFile, String(reads)));
`);

// Runs runner_stdio with `lines` arguments (one unbuffered stdout write each, i.e. several WASI
// calls per line) in a fresh cache; returns {status, stdout, stderr, reads}.
function run(lines, extraEnv = {}) {
  const countFile = join(scratch, `reads-${lines}-${Object.keys(extraEnv).join("")}`);
  const args = Array.from({ length: lines }, (_, i) => `line-${i}`);
  const result = spawnSync(process.execPath, ["--import", pathToFileURL(counter).href, runner,
    "--cache-dir", join(scratch, "cache"), guest, ...args], {
    env: { ...process.env, COUNT_FILE: countFile, ...extraEnv },
    input: "",
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });
  return { ...result, reads: Number(readFileSync(countFile, "utf8")) };
}

test("a run reads JCO_DEBUG a fixed number of times, however many calls the guest makes", () => {
  const transpiling = run(1); // jco's transpiler reads JCO_DEBUG too: fill the cache first
  assert.equal(transpiling.status, 0, transpiling.stderr);
  const few = run(10);
  const many = run(400);
  assert.equal(few.status, 0, few.stderr);
  assert.equal(many.status, 0, many.stderr);
  assert.match(many.stdout, /argv\[400\]=line-399/);
  assert.equal(many.reads, few.reads, `${few.reads} reads for 10 lines, ${many.reads} for 400`);
  assert.ok(many.reads <= 4, `${many.reads} reads`);
});

test("JCO_DEBUG=1 still turns jco's logging on", () => {
  const quiet = run(3);
  const logged = run(3, { JCO_DEBUG: "1" });
  assert.equal(logged.status, 0, logged.stderr);
  assert.doesNotMatch(quiet.stdout + quiet.stderr, /\[_lowerImportBackwardsCompat\(\)\]/);
  assert.match(logged.stdout + logged.stderr, /\[_lowerImportBackwardsCompat\(\)\]/);
});

test("glue without the expected guard is left exactly as it is", () => {
  const other = "const _debugLog = (...args) => {\n  if (!process.env.OTHER) { return; }\n};\n";
  assert.deepEqual(patchGlue(other), { source: other, applied: false });
  const twice = "const _debugLog = (...args) => {\n    if (!globalThis?.process?.env?.JCO_DEBUG) { return; }\n" +
    "if (!globalThis?.process?.env?.JCO_DEBUG) { return; }\n";
  assert.equal(patchGlue(twice).applied, false);
});
