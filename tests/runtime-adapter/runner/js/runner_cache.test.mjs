// wasi-socket-run's default transpile cache for users without a usable home: with HOME unset or
// read-only the runner still gets a private, writable cache directory, and a planted directory
// in the shared fallback location is refused.
//   node --test runner_cache.test.mjs   (env: ADAPTER_JS_DIR)
// As root the probes run as the "nobody" uid, whose home (/nonexistent) does not exist.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";

const jsDir = process.env.ADAPTER_JS_DIR;
const asRoot = process.getuid() === 0;
const probeUid = asRoot ? 65534 : process.getuid();
const probeGid = asRoot ? 65534 : process.getgid();
const scratch = mkdtempSync(join(tmpdir(), "runner-cache-"));
chmodSync(scratch, 0o755);
after(() => rmSync(scratch, { recursive: true, force: true }));

// A sticky, world-writable directory standing in for /tmp (or $XDG_RUNTIME_DIR).
function sharedBase(name) {
  const base = join(scratch, name);
  mkdirSync(base);
  chmodSync(base, 0o1777);
  return base;
}

// Runs defaultCacheRoot() as the probe user with exactly `env`, then writes a file into the
// directory it chose. Returns {status, root, stderr}.
function probe(env) {
  const script = `
    const { defaultCacheRoot } = await import(${JSON.stringify(pathToFileURL(join(jsDir, "transpile-cache.js")).href)});
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const root = defaultCacheRoot();
    mkdirSync(root, { recursive: true });
    writeFileSync(root + "/probe", "ok");
    process.stdout.write(root);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, ...env },
    uid: probeUid,
    gid: probeGid,
    encoding: "utf8",
  });
  return { status: result.status, root: result.stdout, stderr: result.stderr };
}

function assertPrivateFallback(base, result) {
  assert.equal(result.status, 0, result.stderr);
  const dir = join(base, `wasi-socketd-${probeUid}`);
  assert.equal(result.root, join(dir, "transpiled"));
  const info = statSync(dir);
  assert.equal(info.uid, probeUid);
  assert.equal(info.mode & 0o777, 0o700);
}

test("HOME unset and no home directory: a private per-uid directory under XDG_RUNTIME_DIR", { skip: !asRoot && "needs root to run as a user without a home" }, () => {
  const base = sharedBase("unset");
  assertPrivateFallback(base, probe({ XDG_RUNTIME_DIR: base }));
});

test("read-only HOME: the fallback directory, not a failure", () => {
  const home = join(scratch, "readonly-home");
  mkdirSync(home);
  chmodSync(home, 0o555);
  const base = sharedBase("readonly");
  assertPrivateFallback(base, probe({ HOME: home, XDG_RUNTIME_DIR: base }));
});

test("XDG_CACHE_HOME comes first when it is usable", () => {
  const cache = join(scratch, "xdg-cache");
  mkdirSync(cache);
  chownSync(cache, probeUid, probeGid);
  const result = probe({ HOME: "/nonexistent", XDG_CACHE_HOME: cache });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.root, join(cache, "wasi-socketd", "transpiled"));
});

test("an XDG_RUNTIME_DIR the user cannot write (root's, kept by runuser or su): TMPDIR, not a failure", { skip: !asRoot && "needs root to make a directory the probe cannot write" }, () => {
  const foreign = join(scratch, "roots-runtime-dir");
  mkdirSync(foreign, { mode: 0o700 });
  const base = sharedBase("tmpdir");
  assertPrivateFallback(base, probe({ HOME: "/nonexistent", XDG_RUNTIME_DIR: foreign, TMPDIR: base }));
});

test("a world-writable directory in the fallback location is refused", () => {
  const base = sharedBase("planted-mode");
  const planted = join(base, `wasi-socketd-${probeUid}`);
  mkdirSync(planted);
  chownSync(planted, probeUid, probeGid);
  chmodSync(planted, 0o777);
  const result = probe({ HOME: "/nonexistent", XDG_RUNTIME_DIR: base });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /refusing the cache directory .*: it is group- or world-writable \(mode 777\); give --cache-dir/);
});

test("a directory owned by another user in the fallback location is refused", { skip: !asRoot && "needs root to create another user's directory" }, () => {
  const base = sharedBase("planted-owner");
  const planted = join(base, `wasi-socketd-${probeUid}`);
  mkdirSync(planted, { mode: 0o700 });
  const result = probe({ HOME: "/nonexistent", XDG_RUNTIME_DIR: base });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, new RegExp(`refusing the cache directory .*: it is owned by uid 0, not ${probeUid}; give --cache-dir`));
});
