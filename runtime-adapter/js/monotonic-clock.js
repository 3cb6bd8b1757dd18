// wasi:clocks/monotonic-clock. Served by the broker host so that clock pollables live in the same
// C table as socket pollables and a single poll() blocks on both.
import { wrap } from "./resource.js";

export function createMonotonicClock(host, { Pollable }) {
  const { addon } = host;
  return {
    interface: {
      now: () => addon.monotonicNow(host.native),
      resolution: () => addon.monotonicResolution(host.native),
      subscribeInstant: (when) =>
        wrap(Pollable, host, addon.monotonicSubscribeInstant(host.native, when)),
      subscribeDuration: (duration) =>
        wrap(Pollable, host, addon.monotonicSubscribeDuration(host.native, duration)),
    },
  };
}
