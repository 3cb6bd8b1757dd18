// Base of every resource served by the broker: a handle in the C host's resource table.
//
// jco keeps host-created resources in a per-type table keyed by `obj[Symbol.for("cabiRep")]`,
// falling back to a counter that starts at 1. preview2-shim's own pollables set that key to small
// ids of theirs, so our resources take reps from a separate high range and the two never collide
// in one table (see docs/RUNNER.md).
const cabiRep = Symbol.for("cabiRep");
const REP_FIRST = 1 << 28; // jco's T_FLAG is 1 << 30: reps must stay below it
const REP_LAST = (1 << 30) - 1;
let nextRep = REP_FIRST;

// The private token that makes constructors unusable from outside this layer.
const constructToken = Symbol("wasi-socketd resource");

let handleOfResource;
let isBrokerResource;

export class BrokerResource {
  #handle;
  #host;

  constructor(token, host, handle) {
    if (token !== constructToken) throw new TypeError("this WASI resource has no constructor");
    this.#host = host;
    this.#handle = handle;
    this[cabiRep] = nextRep;
    nextRep = nextRep === REP_LAST ? REP_FIRST : nextRep + 1;
  }

  // [resource-drop]: frees the C handle. Throws (a trap) when the WIT forbids the drop, e.g. a
  // socket whose pollable is still alive.
  [Symbol.dispose]() {
    const handle = this.#handle;
    if (!handle) return;
    this.#handle = 0;
    this.#host.addon.resourceDrop(this.#host.native, handle);
  }

  static {
    handleOfResource = (resource) => resource.#handle;
    isBrokerResource = (value) => value !== null && typeof value === "object" && #handle in value;
  }
}

// The C handle of a broker resource; a TypeError (trap) for anything else. A dropped resource has
// no handle (0 is never valid in the C host): its use traps here, naming what happened, instead
// of reaching the C host as "unknown resource handle 0".
export function handleOf(resource) {
  if (!isBrokerResource(resource)) throw new TypeError("not a wasi-socketd resource");
  const handle = handleOfResource(resource);
  if (handle === 0) {
    throw new Error(`wasi-socketd: ${resource.constructor.name} used after it was dropped`);
  }
  return handle;
}

export { isBrokerResource };

// Creates a resource object of class `Class` for a handle the C host just returned. 0 is never a
// handle: an object holding it would trap later as "used after it was dropped", far from the
// cause, so it traps here.
export function wrap(Class, host, handle) {
  if (!handle) throw new Error(`wasi-socketd: the host returned no ${Class.name} handle`);
  return new Class(constructToken, host, handle);
}

// Makes `value instanceof Class` also true for preview2-shim's class of the same WIT resource
// (stdio and file streams, their pollables and errors), so jco's import checks accept both.
export function admitShimInstances(Class, ShimClass) {
  const ownInstanceOf = Function.prototype[Symbol.hasInstance];
  Object.defineProperty(Class, Symbol.hasInstance, {
    value: (value) => ownInstanceOf.call(Class, value) || value instanceof ShimClass,
  });
}
