#include "resource_ids.h"

#include <random>

namespace wasi_socketd::daemon {

namespace {

std::uint64_t random_start() {
  std::random_device device;
  std::uint64_t value = (std::uint64_t{device()} << 32) | device();
  // Leave the upper half of the range as head room so the counter never wraps to 0.
  return (value >> 2) + 1;
}

}  // namespace

ResourceIds::ResourceIds() : next_(random_start()) {}

std::uint64_t ResourceIds::next() { return next_++; }

}  // namespace wasi_socketd::daemon
