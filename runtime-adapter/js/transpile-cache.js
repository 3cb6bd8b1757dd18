// jco transpile of a component, cached by content hash: a run of a component seen before skips
// jco entirely (loading jco alone costs about a second). Layout: CACHE/<sha256>/component.js (with
// glue-patches.js applied), the core modules next to it, and meta.json with the component's
// imports.
import { createHash } from "node:crypto";
import {
  accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";

import { GLUE_PATCHES_VERSION, patchGlue } from "./glue-patches.js";

// Part of the cache key: a different jco or different options must never reuse old output.
const TRANSPILE_OPTIONS = {
  name: "component",
  instantiation: "async",
  noTypescript: true,
  quiet: true,
};
const jcoVersion = readJcoVersion();

function readJcoVersion() {
  // jco's exports map hides package.json; its main module lives in <package>/dist/.
  const main = createRequire(import.meta.url).resolve("@bytecodealliance/jco");
  return JSON.parse(readFileSync(join(dirname(main), "..", "package.json"), "utf8")).version;
}

// The first usable of: $XDG_CACHE_HOME, ~/.cache (when the home exists and is writable), then a
// private per-uid directory under $XDG_RUNTIME_DIR, $TMPDIR or /tmp. A missing or read-only home
// (a service user), or the invoking user's XDG_RUNTIME_DIR kept by runuser or su, must not stop a
// run: the cache is only an optimisation.
export function defaultCacheRoot(env = process.env) {
  const bases = [];
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) bases.push(env.XDG_CACHE_HOME);
  const home = env.HOME ?? homeOfUid();
  if (home && isAbsolute(home)) bases.push(join(home, ".cache"));
  for (const base of bases) {
    const root = join(base, "wasi-socketd", "transpiled");
    if (makeWritable(root)) return root;
  }
  const shared = [env.XDG_RUNTIME_DIR, env.TMPDIR, "/tmp"].filter((dir) => dir && isAbsolute(dir));
  let cannotCreate;
  for (const base of new Set(shared)) {
    try {
      return join(privateDirectory(join(base, `wasi-socketd-${process.getuid()}`)), "transpiled");
    } catch (err) {
      if (!(err instanceof CannotCreate)) throw err; // a planted directory is refused, not skipped
      cannotCreate = err;
    }
  }
  throw cannotCreate;
}

class CannotCreate extends Error {}

function homeOfUid() {
  try {
    return homedir();
  } catch {
    return undefined; // no passwd entry
  }
}

function makeWritable(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// `dir` in a directory others can write to (/tmp): created 0700, and an existing one is used
// only if it is a real directory of ours that nobody else can write, so another user cannot
// plant transpiled code for us to run.
function privateDirectory(dir) {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if (err.code !== "EEXIST") throw new CannotCreate(`cannot create the cache directory ${dir}: ${err.message}; give --cache-dir`);
  }
  const info = lstatSync(dir);
  const refuse = (why) => {
    throw new Error(`refusing the cache directory ${dir}: ${why}; give --cache-dir`);
  };
  if (!info.isDirectory()) refuse("it is not a directory");
  if (info.uid !== process.getuid()) refuse(`it is owned by uid ${info.uid}, not ${process.getuid()}`);
  if ((info.mode & 0o022) !== 0) refuse(`it is group- or world-writable (mode ${(info.mode & 0o777).toString(8)})`);
  return dir;
}

// Returns {dir, imports}: the directory holding component.js and its core modules, and the WIT
// interfaces the component imports.
export async function transpileCached(componentBytes, cacheRoot) {
  const key = createHash("sha256")
    .update(`jco ${jcoVersion} ${JSON.stringify(TRANSPILE_OPTIONS)} patches ${GLUE_PATCHES_VERSION}\n`)
    .update(componentBytes)
    .digest("hex");
  const dir = join(cacheRoot, key);
  const metaPath = join(dir, "meta.json");
  if (existsSync(metaPath)) return { dir, imports: JSON.parse(readFileSync(metaPath, "utf8")).imports };

  const { transpile } = await import("@bytecodealliance/jco");
  const { files, imports } = await transpile(componentBytes, TRANSPILE_OPTIONS);
  const glue = patchGlue(Buffer.from(files["component.js"]).toString("utf8"));
  files["component.js"] = glue.source;
  // Write into a private temporary directory, then rename: concurrent runs of the same component
  // never see a half-written entry.
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, ".staging-"));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(staging, name)), { recursive: true });
    writeFileSync(join(staging, name), bytes);
  }
  writeFileSync(join(staging, "meta.json"), JSON.stringify({ jco: jcoVersion, gluePatched: glue.applied, imports }));
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(metaPath)) throw err; // not "another run was faster"
  }
  return { dir, imports };
}
