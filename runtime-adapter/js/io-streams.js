// wasi:io/streams for the TCP socket's byte streams served by the broker. The classes also admit
// preview2-shim's streams (stdin/stdout/stderr, files): jco then calls the shim object's own
// methods, so those never pass through here. Stream failures arrive from the addon with an error
// handle and leave as {tag: "last-operation-failed", val: <wasi:io/error>}.
import { streams as shimStreams } from "@bytecodealliance/preview2-shim/io";

import { BrokerResource, admitShimInstances, handleOf, isBrokerResource, wrap } from "./resource.js";

// blocking-write-and-flush and blocking-splice move at most this much per call (WIT: 4096).
const BLOCKING_CHUNK = 4096n;

export function createIoStreams(host, { Pollable, streamError }) {
  const { addon } = host;

  // Calls addon[name](host, handle, ...args), converting a stream failure to the WIT shape.
  function call(name, stream, ...args) {
    try {
      return addon[name](host.native, handleOf(stream), ...args);
    } catch (thrown) {
      throw streamError(thrown);
    }
  }

  class InputStream extends BrokerResource {
    read(len) {
      return call("inputStreamRead", this, len);
    }
    blockingRead(len) {
      return call("inputStreamBlockingRead", this, len);
    }
    skip(len) {
      return call("inputStreamSkip", this, len);
    }
    blockingSkip(len) {
      return call("inputStreamBlockingSkip", this, len);
    }
    subscribe() {
      return wrap(Pollable, host, addon.inputStreamSubscribe(host.native, handleOf(this)));
    }
  }
  admitShimInstances(InputStream, shimStreams.InputStream);

  class OutputStream extends BrokerResource {
    checkWrite() {
      return call("outputStreamCheckWrite", this);
    }
    write(contents) {
      call("outputStreamWrite", this, contents);
    }
    blockingWriteAndFlush(contents) {
      call("outputStreamBlockingWriteAndFlush", this, contents);
    }
    flush() {
      call("outputStreamFlush", this);
    }
    blockingFlush() {
      call("outputStreamBlockingFlush", this);
    }
    writeZeroes(len) {
      call("outputStreamWriteZeroes", this, len);
    }
    blockingWriteZeroesAndFlush(len) {
      call("outputStreamBlockingWriteZeroesAndFlush", this, len);
    }
    splice(src, len) {
      if (isBrokerResource(src)) return call("outputStreamSplice", this, handleOf(src), len);
      // A shim stream as source: move what is readable now, within our write permit.
      const permit = this.checkWrite();
      const want = len < permit ? len : permit;
      if (want === 0n) return 0n;
      const data = src.read(want);
      if (data.length > 0) this.write(data);
      return BigInt(data.length);
    }
    blockingSplice(src, len) {
      if (isBrokerResource(src)) return call("outputStreamBlockingSplice", this, handleOf(src), len);
      const data = src.blockingRead(len < BLOCKING_CHUNK ? len : BLOCKING_CHUNK);
      this.blockingWriteAndFlush(data);
      return BigInt(data.length);
    }
    subscribe() {
      return wrap(Pollable, host, addon.outputStreamSubscribe(host.native, handleOf(this)));
    }
  }
  admitShimInstances(OutputStream, shimStreams.OutputStream);

  return { interface: { InputStream, OutputStream }, InputStream, OutputStream };
}
