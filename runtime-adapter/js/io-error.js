// wasi:io/error for the broker's streams. The class also admits preview2-shim's errors (from
// stdio and file streams), so one `Error` import serves both.
import { error as shimError } from "@bytecodealliance/preview2-shim/io";

import { BrokerResource, admitShimInstances, handleOf, wrap } from "./resource.js";

export function createIoError(host) {
  const { addon } = host;

  class IoError extends BrokerResource {
    toDebugString() {
      return addon.errorToDebugString(host.native, handleOf(this));
    }
  }
  admitShimInstances(IoError, shimError.Error);

  // Turns the addon's {tag: "last-operation-failed", val: <handle>} into the WIT shape, whose val
  // is an error resource; passes every other thrown value (error codes, traps) through.
  function streamError(thrown) {
    if (thrown?.tag === "last-operation-failed" && typeof thrown.val === "number") {
      thrown.val = wrap(IoError, host, thrown.val);
    }
    return thrown;
  }

  return { interface: { Error: IoError }, IoError, streamError };
}
