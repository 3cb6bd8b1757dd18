#!/usr/bin/env node
// Builds one WASI 0.2 command component from C sources. This is the whole guest toolchain, kept in
// one place so every guest (conformance suite, examples) is built the same way:
//   clang-19 --target=wasm32-wasi  ->  core module importing wasi:sockets/* etc. by canonical ABI
//   embed the WIT world            ->  core module that wit-component can type
//   component new + preview1 command adapter (bundled with jco, imports wasi:*@0.2.12)
//
// Usage: componentize.mjs --node-modules DIR --wit DIR --world NAME --cc CLANG
//                         [--cflag FLAG]... [-I DIR]... [--wasi-version 0.2.x]
//                         [--wit-dep DIR]... --out OUT.wasm SOURCE.c...
// --wit-dep adds a WIT package the world imports (e.g. runtime-adapter/sockets-ext/wit), its
// wasi:* imports moved to the --wasi-version.
//
// jco's wasm-tools run on preview2-shim, which starts without preopened directories, so the WIT
// is staged in a temporary directory and preopened explicitly (the `jco embed` CLI cannot do this).
import { spawnSync } from "node:child_process";
import {
  cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, renameSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// The WIT version guests are built against unless --wasi-version names another 0.2.x release that
// jco carries (lib/wit/builtin/<version>). The preview1 adapter always imports 0.2.12.
const DEFAULT_WASI_VERSION = "0.2.12";
const WIT_DEPS = [
  "wasi-io", "wasi-clocks", "wasi-sockets", "wasi-cli", "wasi-filesystem", "wasi-random",
];

function parseArgs(argv) {
  const opts = { cflags: [], includes: [], sources: [], witDeps: [], wasiVersion: DEFAULT_WASI_VERSION };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--node-modules") opts.nodeModules = resolve(value());
    else if (arg === "--wit") opts.wit = resolve(value());
    else if (arg === "--world") opts.world = value();
    else if (arg === "--cc") opts.cc = value();
    else if (arg === "--cflag") opts.cflags.push(value());
    else if (arg === "-I") opts.includes.push(resolve(value()));
    else if (arg === "--out") opts.out = resolve(value());
    else if (arg === "--wasi-version") opts.wasiVersion = value();
    else if (arg === "--wit-dep") opts.witDeps.push(resolve(value()));
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else opts.sources.push(resolve(arg));
  }
  for (const key of ["nodeModules", "wit", "world", "cc", "out"]) {
    if (!opts[key]) throw new Error(`missing --${key.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`);
  }
  if (opts.sources.length === 0) throw new Error("no C sources given");
  return opts;
}

function compileCore(opts, coreFile) {
  const args = [
    "--target=wasm32-wasi", "-O2", "-std=c17", "-Wall", "-Wextra", "-Werror",
    `-DWASI_GUEST_VERSION="${opts.wasiVersion}"`, ...opts.includes.map((dir) => `-I${dir}`),
    ...opts.cflags, "-o", coreFile, ...opts.sources,
  ];
  const result = spawnSync(opts.cc, args, { stdio: "inherit" });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${opts.cc} failed with status ${result.status}`);
}

// Our world file (its imports moved to the requested version) plus the packages it imports, laid out
// as wit-parser expects (deps/).
function stageWit(opts, stagingDir) {
  const builtin = join(opts.nodeModules, "@bytecodealliance/jco/lib/wit/builtin", opts.wasiVersion);
  cpSync(opts.wit, stagingDir, { recursive: true });
  // Imports of a package that release lacks (jco's 0.2.10 has no wasi-cli) are left out.
  const present = WIT_DEPS.filter((pkg) => existsSync(join(builtin, pkg, "package.wit")));
  for (const file of readdirSync(stagingDir).filter((name) => name.endsWith(".wit"))) {
    const lines = readFileSync(join(stagingDir, file), "utf8").split("\n").filter((line) => {
      const imported = /^\s*import wasi:([a-z-]+)\//.exec(line);
      return !imported || present.includes(`wasi-${imported[1]}`);
    });
    const text = lines.join("\n").replaceAll(`@${DEFAULT_WASI_VERSION};`, `@${opts.wasiVersion};`);
    writeFileSync(join(stagingDir, file), text);
  }
  for (const pkg of present) {
    mkdirSync(join(stagingDir, "deps", pkg), { recursive: true });
    cpSync(join(builtin, pkg, "package.wit"), join(stagingDir, "deps", pkg, "package.wit"));
  }
  // Our own packages: their `use wasi:PKG/IFACE@0.2.x` move to the guest's 0.2.x.
  for (const dep of opts.witDeps) {
    const target = join(stagingDir, "deps", `dep-${opts.witDeps.indexOf(dep)}`);
    mkdirSync(target, { recursive: true });
    for (const file of readdirSync(dep).filter((name) => name.endsWith(".wit"))) {
      const text = readFileSync(join(dep, file), "utf8")
        .replace(/(wasi:[a-z-]+\/[a-z-]+)@0\.2\.[0-9]+/g, `$1@${opts.wasiVersion}`);
      writeFileSync(join(target, file), text);
    }
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const jco = await import(pathToFileURL(join(opts.nodeModules, "@bytecodealliance/jco/dist/api.js")));
  // The filesystem shim instance jco's wasm-tools import, resolved from where jco-transpile lives.
  const requireFromTools = createRequire(join(opts.nodeModules, "@bytecodealliance/jco-transpile/package.json"));
  const fsShim = await import(pathToFileURL(requireFromTools.resolve("@bytecodealliance/preview2-shim/filesystem")));

  const work = mkdtempSync(join(tmpdir(), "wasi-socketd-componentize-"));
  try {
    const coreFile = join(work, "core.wasm");
    compileCore(opts, coreFile);
    const witDir = join(work, "wit");
    stageWit(opts, witDir);
    fsShim._setPreopens({ "/wit": witDir });

    const embedded = await jco.componentEmbed({
      binary: readFileSync(coreFile),
      witPath: "/wit",
      world: opts.world,
      stringEncoding: "utf8",
      // network-error-code is @unstable in 0.2.x WIT: without the gate the function is absent.
      features: { tag: "list", val: ["network-error-code"] },
    });
    const adapter = readFileSync(jco.preview1AdapterCommandPath());
    const component = await jco.componentNew(embedded, [["wasi_snapshot_preview1", adapter]]);

    // Write atomically so an interrupted build never leaves a half component behind.
    mkdirSync(dirname(opts.out), { recursive: true });
    const partial = `${opts.out}.partial`;
    writeFileSync(partial, component);
    renameSync(partial, opts.out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`componentize: ${err?.message ?? err}`);
  process.exit(1);
});
