// A sequence-aware random client of the broker API (Chromium-style IPC fuzzing, raw stubs).
//
// One RpcFuzzer drives one session (one connection) through random sequences of every RPC and of
// Attach frames, with arguments drawn from its own ids, other sessions' ids (shared pool) and
// boundary values. Every response is checked: a gRPC status the daemon may legitimately give, an
// error code the WIT defines, and INVALID_ARGUMENT whenever a foreign id was used. Deterministic
// per seed (thread interleaving aside). One thread per RpcFuzzer; the IdPool is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "test_client.h"

namespace wasi_socketd::testing {

// Ids seen by every fuzzed session, so that one session can try another's ids.
class IdPool {
 public:
  void add(std::uint64_t id);
  // A random id from the pool, or 0 if it is empty.
  std::uint64_t pick(std::mt19937_64& random);

 private:
  std::mutex mutex_;
  std::vector<std::uint64_t> ids_;
};

struct FuzzStats {
  std::uint64_t calls = 0;
  std::uint64_t successes = 0;
  std::uint64_t frames = 0;
  std::uint64_t reconnects = 0;
};

class RpcFuzzer {
 public:
  RpcFuzzer(std::string target, std::uint64_t seed, IdPool& pool);

  // One random action; records gtest failures for invalid answers.
  void step();
  const FuzzStats& stats() const { return stats_; }

 private:
  enum class Source { kOwn, kForeign, kRandom };
  struct Pick {
    std::uint64_t id;
    Source source;
  };

  void reconnect();
  Pick pick_id();
  std::uint64_t pick_network();
  v1::IpAddressFamily pick_family();
  v1::IpSocketAddress pick_address();
  std::string pick_bytes(std::size_t max);
  std::uint64_t pick_size();

  void tcp_call();
  void tcp_connect_or_bind();
  void tcp_option_or_shutdown();
  void udp_call();
  void udp_send();
  void create_socket();
  void network_or_lookup();
  void attach_frame();
  void second_attach();

  // Checks one answer; an id not of this session (pick.source) must be answered as unknown.
  void check(const grpc::Status& status, v1::ErrorCode error, const Pick& pick, const char* what);
  void remember(std::uint64_t id);

  std::string target_;
  std::mt19937_64 random_;
  IdPool& pool_;
  std::unique_ptr<TestClient> client_;
  std::uint64_t network_ = 0;
  bool attached_ = false;
  std::vector<std::uint64_t> own_ids_;
  std::vector<std::uint32_t> listening_ports_;
  FuzzStats stats_;
};

}  // namespace wasi_socketd::testing
