#!/usr/bin/env node
// Runs a WASI 0.2 command component on plain @bytecodealliance/preview2-shim (sockets included),
// the reference JS host the broker is compared against. Independent of our runtime adapter on
// purpose: a bug there must not hide in the baseline.
//
// Usage: run_on_shim.mjs --node-modules DIR --cache DIR COMPONENT.wasm [ARGS...]
// Exit status: the guest's own, or 134 when the guest traps (the message goes to stderr).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TRAP_STATUS } from "./verdict.mjs";


function parseArgs(argv) {
  const opts = {};
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("--"); i += 2) {
    if (argv[i] === "--node-modules") opts.nodeModules = resolve(argv[i + 1]);
    else if (argv[i] === "--cache") opts.cache = resolve(argv[i + 1]);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  if (!opts.nodeModules || !opts.cache || i >= argv.length) {
    throw new Error("usage: run_on_shim.mjs --node-modules DIR --cache DIR COMPONENT.wasm [ARGS...]");
  }
  opts.component = resolve(argv[i]);
  opts.args = argv.slice(i + 1);
  return opts;
}

// Transpiles once per component content; concurrent runs race benignly (rename is atomic).
async function transpiled(opts, bytes) {
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 24);
  const dir = join(opts.cache, hash);
  if (!existsSync(join(dir, "component.js"))) {
    const jco = await import(pathToFileURL(join(opts.nodeModules, "@bytecodealliance/jco/dist/api.js")));
    const { files } = await jco.transpile(bytes, { name: "component", instantiation: "async", quiet: true });
    const staging = `${dir}.${process.pid}.tmp`;
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(staging, name, ".."), { recursive: true });
      writeFileSync(join(staging, name), content);
    }
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true });  // another run won the race
    }
  }
  return dir;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = await transpiled(opts, readFileSync(opts.component));
  const shimRoot = join(opts.nodeModules, "@bytecodealliance/preview2-shim/dist");
  const { WASIShim } = await import(pathToFileURL(join(shimRoot, "common/instantiation.js")));
  const { _setArgs } = await import(pathToFileURL(join(shimRoot, "nodejs/cli.js")));
  _setArgs?.([basename(opts.component), ...opts.args]);
  const { instantiate } = await import(pathToFileURL(join(dir, "component.js")));
  const getCoreModule = (path) => WebAssembly.compile(readFileSync(join(dir, path)));
  const instance = await instantiate(getCoreModule, new WASIShim().getImportObject());
  const run = instance.run ?? instance["wasi:cli/run@0.2.12"];
  try {
    run.run();
  } catch (err) {
    // A guest that returns an error from run() exits 1 through wasi:cli/exit; anything thrown
    // here is a trap (unreachable, resource misuse caught by the host, ...).
    console.error(`trap: ${err?.stack ?? err}`);
    process.exit(TRAP_STATUS);
  }
  process.exit(0);
}

main().catch((err) => {
  console.error(`run_on_shim: ${err?.stack ?? err}`);
  process.exit(2);
});
