// libFuzzer target for the policy file parser: any bytes must give a Policy or a PolicyError
// with a position — never a crash, a hang, an escaped exception or undefined behaviour. When a
// policy loads, its decisions are exercised too (tenant selection, every operation, lookups).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "policy/policy_loader.h"

namespace {

using wasi_socketd::policy::kAllOperations;

void exercise(const wasi_socketd::policy::Policy& policy) {
  const auto probes = {
      boost::asio::ip::make_address("127.0.0.1"), boost::asio::ip::make_address("::1"),
      boost::asio::ip::make_address("10.1.2.3"), boost::asio::ip::make_address("::ffff:10.1.2.3"),
      boost::asio::ip::make_address("0.0.0.0")};
  for (const auto& tenant : policy.tenants) {
    for (auto operation : kAllOperations) {
      for (const auto& address : probes) {
        for (uint16_t port : {0, 80, 1023, 1024, 65535})
          (void)tenant->decide(operation, address, port);
      }
    }
    for (const char* name : {"localhost", "a.example.com", "127.0.0.1", "[::1]", ""}) {
      (void)tenant->decide_lookup(wasi_socketd::sockets::LookupName(std::string(name)));
    }
  }
  (void)policy.select_tenant({0, 0, 1, "main"});
  (void)policy.select_tenant({1000, 1000, 1, "other"});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = wasi_socketd::policy::parse_policy(text, "fuzz.toml");
  if (result.ok()) {
    exercise(*result.policy);
  } else if (!result.error) {
    __builtin_trap();  // neither a policy nor an error: the loader lost track
  }
  return 0;
}
