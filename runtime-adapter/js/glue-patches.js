// Edits of jco's generated glue (component.js) that remove per-call cost and change no behaviour.
// Each patch names the exact text it replaces and applies only when that text occurs exactly as
// expected; glue from another jco is left as it is.
//
// Why: jco 1.35 guards each of its ~200 debug-log call sites with
// `globalThis?.process?.env?.JCO_DEBUG`, and several run on every WASI call. Node answers each
// process.env read from the C environment, about 240 ns here: half of what a local call such as
// `check-write` costs through the broker (docs/BENCHMARKS.md, "jco's debug-log guard"). The patch
// reads JCO_DEBUG once, when the glue loads; JCO_DEBUG=1 still turns jco's logging on.

// Part of the transpile cache key: glue cached before a patch changed must not be reused.
export const GLUE_PATCHES_VERSION = 1;

const DEBUG_LOG_DEFINITION = "const _debugLog = (...args) => {";
const PER_CALL_CHECK = "if (!globalThis?.process?.env?.JCO_DEBUG) { return; }";
const ONCE_CHECK = "if (!JCO_DEBUG_AT_LOAD) { return; }";
const READ_ONCE = "const JCO_DEBUG_AT_LOAD = !!globalThis?.process?.env?.JCO_DEBUG;\n  ";

function occurrences(text, part) {
  return text.split(part).length - 1;
}

// Returns {source, applied}: `source` with the debug-log guard hoisted, or unchanged (applied
// false) when the glue does not have exactly one such definition guarded exactly this way.
export function patchGlue(source) {
  const definition = source.indexOf(DEBUG_LOG_DEFINITION);
  const check = source.indexOf(PER_CALL_CHECK, definition);
  const adjacent = definition >= 0 && check >= 0 &&
    source.slice(definition + DEBUG_LOG_DEFINITION.length, check).trim() === "";
  if (!adjacent || occurrences(source, DEBUG_LOG_DEFINITION) !== 1 ||
      occurrences(source, PER_CALL_CHECK) !== 1) {
    return { source, applied: false };
  }
  return {
    source: source.slice(0, definition) + READ_ONCE + DEBUG_LOG_DEFINITION +
      source.slice(definition + DEBUG_LOG_DEFINITION.length, check) + ONCE_CHECK +
      source.slice(check + PER_CALL_CHECK.length),
    applied: true,
  };
}
