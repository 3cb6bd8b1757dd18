// The import object handed to a jco-transpiled component: preview2-shim for every WASI interface,
// with the broker's interfaces (if any) taking the place of the shim's sockets, io and monotonic
// clock; without a broker, wasi-socketd:sockets-ext answers not-supported. Keys are unversioned
// ("wasi:io/poll"); a lookup of a versioned key ("wasi:io/poll@0.2.3") resolves to the same
// interface, so components built against any 0.2.x WIT link.
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";

import { unsupportedSocketsExt } from "./sockets-ext.js";

export function createImportObject({ broker, args, preopens }) {
  const sandbox = { args };
  if (preopens) sandbox.preopens = preopens;
  const shim = new WASIShim({ sandbox }).getImportObject();
  return versionTolerant({ ...shim, ...unsupportedSocketsExt(), ...(broker ?? {}) });
}

function versionTolerant(table) {
  return new Proxy(table, {
    get(target, key) {
      if (typeof key === "string" && !(key in target)) {
        const at = key.indexOf("@");
        if (at > 0) return target[key.slice(0, at)];
      }
      return target[key];
    },
  });
}
