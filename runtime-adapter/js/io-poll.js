// wasi:io/poll. Broker pollables (sockets, streams, lookups, monotonic clock) are handles in the C
// host and one poll() over them blocks in C++ on the readiness mirror and the clock together.
// preview2-shim's pollables (stdin, files) are admitted too: a poll over only those goes to the
// shim's poll; a mixed list (rare) alternates a non-blocking check of the shim's pollables with a
// C poll bounded by a short clock pollable, backing off from 1 ms to 50 ms (docs/RUNNER.md).
import { poll as shimPoll } from "@bytecodealliance/preview2-shim/io";

import { BrokerResource, admitShimInstances, handleOf, isBrokerResource } from "./resource.js";

const MIXED_SLICE_FIRST_NS = 1_000_000n;
const MIXED_SLICE_MAX_NS = 50_000_000n;

export function createIoPoll(host) {
  const { addon } = host;

  class Pollable extends BrokerResource {
    ready() {
      return addon.pollableReady(host.native, handleOf(this));
    }

    block() {
      addon.pollableBlock(host.native, handleOf(this));
    }
  }
  admitShimInstances(Pollable, shimPoll.Pollable);

  // One pass over the list; the handles go to C as one Uint32Array (a copy, not a conversion per
  // element): a server guest passes every connection it holds on each call.
  function poll(list) {
    const handles = new Uint32Array(list.length);
    let foreignCount = 0;
    for (let index = 0; index < list.length; index++) {
      const pollable = list[index];
      if (isBrokerResource(pollable)) handles[index] = handleOf(pollable);
      else foreignCount++;
    }
    if (foreignCount === 0) return addon.poll(host.native, handles);
    if (foreignCount === list.length) return Array.from(shimPoll.poll(list));
    const ours = [];
    const foreign = [];
    list.forEach((pollable, index) => (isBrokerResource(pollable) ? ours : foreign).push(index));
    return pollMixed(list, ours, foreign);
  }

  function pollMixed(list, ours, foreign) {
    const ourHandles = ours.map((index) => handleOf(list[index]));
    let slice = MIXED_SLICE_FIRST_NS;
    for (;;) {
      const readyForeign = foreign.filter((index) => list[index].ready());
      if (readyForeign.length > 0) {
        const readyOurs = ours.filter((_, i) => addon.pollableReady(host.native, ourHandles[i]));
        return [...readyOurs, ...readyForeign].sort((a, b) => a - b);
      }
      const timer = addon.monotonicSubscribeDuration(host.native, slice);
      let readyIndices;
      try {
        readyIndices = addon.poll(host.native, [...ourHandles, timer]);
      } finally {
        addon.resourceDrop(host.native, timer);
      }
      const readyOurs = readyIndices.filter((i) => i < ours.length).map((i) => ours[i]);
      if (readyOurs.length > 0) {
        const alsoForeign = foreign.filter((index) => list[index].ready());
        return [...readyOurs, ...alsoForeign].sort((a, b) => a - b);
      }
      if (slice < MIXED_SLICE_MAX_NS) slice *= 2n;
    }
  }

  return { interface: { Pollable, poll }, Pollable };
}
