// The JS side of wasi-socketd:sockets-ext: every function the WIT file declares is served, by the
// broker's interfaces and by the not-supported ones used without a broker, and nothing else is;
// without a broker every function throws "not-supported" (the error-code jco lowers).
//   node --test sockets_ext.test.mjs   (env: ADAPTER_JS_DIR, SOCKETS_EXT_WIT)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const jsDir = process.env.ADAPTER_JS_DIR;
const { createSocketsExt, unsupportedSocketsExt } =
  await import(pathToFileURL(join(jsDir, "sockets-ext.js")).href);
const { createImportObject } = await import(pathToFileURL(join(jsDir, "import-object.js")).href);

// { "tcp-ext": ["noDelay", ...], "udp-ext": [...] } from the WIT text, as jco names them.
function witFunctions() {
  const text = readFileSync(process.env.SOCKETS_EXT_WIT, "utf8");
  const functions = {};
  for (const [, name, body] of text.matchAll(/interface ([a-z-]+) \{([\s\S]*?)\n\}/g)) {
    functions[name] = [...body.matchAll(/^\s*([a-z0-9-]+): func/gm)].map(([, f]) =>
      f.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase()));
  }
  return functions;
}

const KEY = (iface) => `wasi-socketd:sockets-ext/${iface}`;

test("the broker serves exactly the WIT's functions", () => {
  const served = createSocketsExt({ addon: {}, native: null });
  for (const [iface, names] of Object.entries(witFunctions())) {
    assert.ok(names.length > 5, `${iface}: the WIT was not read`);
    assert.deepEqual(Object.keys(served[KEY(iface)]).sort(), [...names].sort(), iface);
  }
});

test("without a broker every function throws not-supported", () => {
  const imports = createImportObject({ broker: undefined, args: ["guest.wasm"] });
  for (const [iface, names] of Object.entries(witFunctions())) {
    const served = imports[`${KEY(iface)}@0.1.0`];  // the versioned key a component asks for
    assert.deepEqual(Object.keys(served).sort(), [...names].sort(), iface);
    for (const name of names) assert.throws(() => served[name]({}, true), (e) => e === "not-supported");
  }
});

test("the broker's interfaces take precedence over the not-supported ones", () => {
  const broker = createSocketsExt({ addon: {}, native: null });
  const imports = createImportObject({ broker, args: ["guest.wasm"] });
  assert.equal(imports[`${KEY("tcp-ext")}@0.1.0`], broker[KEY("tcp-ext")]);
});
