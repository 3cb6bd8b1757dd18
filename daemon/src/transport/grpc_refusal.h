// What a refused peer sees: a real gRPC status, PERMISSION_DENIED with the reason ("no tenant
// matches uid 1000 on listener main"), instead of a closed connection ("Broken pipe").
//
// Refused connections never reach the gRPC server. This answers them with the least HTTP/2 a
// gRPC client understands: the server's SETTINGS, an ACK of the client's, a trailers-only
// response on the client's first stream, and GOAWAY. It must stay cheap while a peer floods
// connects: each uid gets kPerUidRate answers a second (bursts of kPerUidBurst), at most
// kMaxPending connections wait for their first call at once, none longer than kFirstCallTimeout;
// past any of these the connection is closed without an answer.
// Threading: refuse() on the io_context (any thread); everything else runs on the io_context.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "policy/token_bucket.h"

namespace wasi_socketd::daemon {

// The bytes of a trailers-only gRPC response with `status` and `message` on `stream`: one HTTP/2
// HEADERS frame (END_STREAM | END_HEADERS; HPACK literals without indexing or Huffman).
std::string grpc_trailers_only_frame(std::uint32_t stream, int status, std::string_view message);

class GrpcRefusal {
 public:
  static constexpr std::uint64_t kPerUidRate = 20;
  static constexpr std::uint64_t kPerUidBurst = 40;
  static constexpr std::size_t kMaxPending = 64;
  static constexpr std::size_t kMaxUids = 4096;
  static constexpr std::chrono::seconds kFirstCallTimeout{2};

  explicit GrpcRefusal(boost::asio::io_context& io) : io_(io) {}

  enum class Outcome {
    answered,     // the first call on it will get PERMISSION_DENIED and the reason
    closed,       // closed without an answer: too many refusals wait for their first call
    over_budget,  // closed without an answer: this uid is refused faster than kPerUidRate
  };

  // Takes ownership of the connected, non-blocking `fd`.
  Outcome refuse(int fd, uid_t uid, std::string reason);

 private:
  bool take_budget(uid_t uid);

  boost::asio::io_context& io_;
  std::mutex mutex_;
  std::map<uid_t, std::unique_ptr<policy::TokenBucket>> budgets_;
  std::shared_ptr<std::atomic<std::size_t>> pending_ =
      std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace wasi_socketd::daemon
