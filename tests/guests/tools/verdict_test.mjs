// Self-test of the guest verdict (node:test): the judge must catch a missed trap, a crash, an
// unexplained FAIL and a guest that never finished, and must accept known shim deviations.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseReport } from "./report.mjs";
import { judge, TRAP_STATUS } from "./verdict.mjs";

const none = new Map();
const verdict = (expect, stdout, status, deviations = none) =>
  judge(expect, { status, signal: null, timedOut: false }, parseReport(stdout, status), deviations);

test("cases: all ok and finished passes", () => {
  assert.deepEqual(verdict("cases", "ok a/ipv4\nok a/ipv6\n# 2 passed, 0 failed, 0 skipped\n", 0), []);
});

test("cases: a FAIL line fails", () => {
  const problems = verdict("cases", "ok a/ipv4\nFAIL a/ipv6: x.c:1: boom\n# 1 passed, 1 failed\n", 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /FAIL a\/ipv6/);
});

test("cases: a known deviation is tolerated", () => {
  const deviations = new Map([["a/ipv6", "shim bug"]]);
  assert.deepEqual(verdict("cases", "FAIL a/ipv6: boom\n# 0 passed, 1 failed\n", 1, deviations), []);
});

test("cases: a crash before the summary fails", () => {
  assert.notDeepEqual(verdict("cases", "ok a/ipv4\n", TRAP_STATUS), []);
});

test("cases: skip lines are not failures", () => {
  assert.deepEqual(verdict("cases", "skip a/ipv4: host ignores hint\n# 0 passed, 0 failed, 1 skipped\n", 0), []);
});

test("trap: stopping with the trap status after the marker passes", () => {
  assert.deepEqual(verdict("trap", "expect-trap t/ipv4\n", TRAP_STATUS), []);
});

test("trap: returning from the call fails", () => {
  const out = "expect-trap t/ipv4\nFAIL t/ipv4: returned\n# 0 passed, 1 failed\n";
  assert.notDeepEqual(verdict("trap", out, 1), []);
});

test("trap: an ordinary error exit is not a trap", () => {
  assert.notDeepEqual(verdict("trap", "expect-trap t/ipv4\n", 1), []);
});

test("trap: failing before the marker fails", () => {
  assert.notDeepEqual(verdict("trap", "FAIL t/ipv4: set-up\n# 0 passed, 1 failed\n", 1), []);
});

test("trap-or-ok: either outcome passes, an error does not", () => {
  assert.deepEqual(verdict("trap-or-ok", "expect-trap t/ipv4\n", TRAP_STATUS), []);
  assert.deepEqual(verdict("trap-or-ok", "expect-trap t/ipv4\nok t/ipv4\n# 1 passed, 0 failed\n", 0), []);
  assert.notDeepEqual(verdict("trap-or-ok", "expect-trap t/ipv4\nFAIL t/ipv4: x\n# 0 passed, 1 failed\n", 1), []);
});
