// jco transpile of a component, cached by content hash: a run of a component seen before skips
// jco entirely (loading jco alone costs about a second). Layout: CACHE/<sha256>/component.js, the
// core modules next to it, and meta.json with the component's imports.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

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

export function defaultCacheRoot() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "wasi-socketd", "transpiled");
}

// Returns {dir, imports}: the directory holding component.js and its core modules, and the WIT
// interfaces the component imports.
export async function transpileCached(componentBytes, cacheRoot) {
  const key = createHash("sha256")
    .update(`jco ${jcoVersion} ${JSON.stringify(TRANSPILE_OPTIONS)}\n`)
    .update(componentBytes)
    .digest("hex");
  const dir = join(cacheRoot, key);
  const metaPath = join(dir, "meta.json");
  if (existsSync(metaPath)) return { dir, imports: JSON.parse(readFileSync(metaPath, "utf8")).imports };

  const { transpile } = await import("@bytecodealliance/jco");
  const { files, imports } = await transpile(componentBytes, TRANSPILE_OPTIONS);
  // Write into a private temporary directory, then rename: concurrent runs of the same component
  // never see a half-written entry.
  mkdirSync(cacheRoot, { recursive: true });
  const staging = mkdtempSync(join(cacheRoot, ".staging-"));
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(staging, name)), { recursive: true });
    writeFileSync(join(staging, name), bytes);
  }
  writeFileSync(join(staging, "meta.json"), JSON.stringify({ jco: jcoVersion, imports }));
  try {
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(metaPath)) throw err; // not "another run was faster"
  }
  return { dir, imports };
}
