// Resource ids of one session: never reused while the session lives, and not guessable from
// another session's ids (each session starts at its own random 63-bit offset).
// Not thread-safe: used on the session's strand only.
#pragma once

#include <cstdint>

namespace wasi_socketd::daemon {

class ResourceIds {
 public:
  ResourceIds();  // picks a random start
  explicit ResourceIds(std::uint64_t start) : next_(start) {}

  // A fresh id, never 0 (0 means "no resource" on the wire).
  std::uint64_t next();

 private:
  std::uint64_t next_;
};

}  // namespace wasi_socketd::daemon
