// JS layer of the WIT error-code: the names the addon throws, as it exports them (from the one C++
// table through the C ABI), are exactly the WIT's `error-code` cases in WIT order, read from the
// WIT that jco ships.
//   node --test error_code_names.test.mjs   (env: WASI_SOCKETD_ADDON, ADAPTER_JS_DIR, WIT_SOCKETS)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

const { loadAddon } = await import(
  pathToFileURL(join(process.env.ADAPTER_JS_DIR, "broker-host.js")).href);

function witErrorCodes(witText) {
  const body = witText.match(/enum error-code \{([^}]*)\}/);
  assert.ok(body, "no `enum error-code` in the WIT");
  return body[1]
    .split("\n")
    .map((line) => line.replace(/\/\/.*$/, "").trim().replace(/,$/, ""))
    .filter((name) => name !== "");
}

test("the addon's error-code names are the WIT's cases in WIT order", () => {
  const addon = loadAddon(process.env.WASI_SOCKETD_ADDON);
  const wit = witErrorCodes(readFileSync(process.env.WIT_SOCKETS, "utf8"));
  assert.equal(wit.length, 21);
  assert.deepEqual(addon.errorCodeNames, wit);
});
