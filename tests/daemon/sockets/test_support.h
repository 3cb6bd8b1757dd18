// Shared helpers for the socket core tests: an io_context with sequences, recording observers
// and a recording policy. Everything runs on the test thread (run_until drives the loop); the
// test body calls core objects directly between runs, which their sequences allow
// (SequenceCheck::idle_from_outside).
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sockets/serial_executor.h"
#include "sockets/socket_address.h"
#include "sockets/socket_policy.h"
#include "sockets/tcp_observer.h"
#include "sockets/udp_socket.h"

// Asserts that a Result-returning expression failed with exactly `code`.
#define WASI_SOCKETD_EXPECT_ERROR(expression, code)                                               \
  do {                                                                                            \
    const auto wasi_socketd_result = (expression);                                                \
    ASSERT_FALSE(wasi_socketd_result) << #expression " succeeded";                                \
    EXPECT_EQ(wasi_socketd_result.error(), (code))                                                \
        << #expression " -> " << ::wasi_socketd::sockets::to_string(wasi_socketd_result.error()); \
  } while (false)

namespace wasi_socketd::sockets::testing {

class IoFixture {
 public:
  Strand strand() { return make_strand(io_, SequenceCheck::idle_from_outside); }
  boost::asio::io_context& io() { return io_; }

  // Runs handlers until `done()` holds; false on timeout.
  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      // Whatever is ready now; otherwise wait briefly for the next event.
      if (io_.poll() == 0) io_.run_one_for(std::chrono::milliseconds(2));
    }
    return true;
  }
  // Runs whatever is ready now (posted events).
  void drain() {
    io_.restart();
    io_.poll();
  }

 private:
  boost::asio::io_context io_;
};

inline SocketAddress address(const std::string& ip, std::uint16_t port = 0) {
  SocketAddress result;
  result.ip = boost::asio::ip::make_address(ip);
  result.port = port;
  return result;
}

inline SocketAddress loopback(Family family, std::uint16_t port = 0) {
  return address(family == Family::ipv4 ? "127.0.0.1" : "::1", port);
}

inline std::string family_name(const ::testing::TestParamInfo<Family>& info) {
  return info.param == Family::ipv4 ? "IPv4" : "IPv6";
}

inline std::vector<std::byte> bytes_of(const std::string& text) {
  std::vector<std::byte> result(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) result[i] = static_cast<std::byte>(text[i]);
  return result;
}

inline std::string text_of(const std::vector<std::byte>& bytes) {
  std::string result(bytes.size(), '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) result[i] = static_cast<char>(bytes[i]);
  return result;
}

class RecordingTcpObserver final : public TcpObserver {
 public:
  void connect_finished() override { ++connects_finished; }
  void accept_readiness(bool ready) override { accept_ready = ready; }
  void data_received(std::span<const std::byte> bytes) override {
    received.insert(received.end(), bytes.begin(), bytes.end());
    largest_chunk = std::max(largest_chunk, bytes.size());
  }
  void input_ended(std::optional<ErrorCode> error) override {
    ended = true;
    end_error = error;
  }
  void bytes_written(std::size_t n) override { written += n; }
  void output_failed(ErrorCode error) override { output_error = error; }

  int connects_finished = 0;
  std::optional<bool> accept_ready;
  std::vector<std::byte> received;
  std::size_t largest_chunk = 0;
  bool ended = false;
  std::optional<ErrorCode> end_error;
  std::size_t written = 0;
  std::optional<ErrorCode> output_error;
};

class RecordingUdpObserver final : public UdpObserver {
 public:
  void receive_readiness(bool ready) override { this->ready = ready; }
  std::optional<bool> ready;
};

// Records every question and answers from a deny list.
class RecordingPolicy final : public SocketPolicy {
 public:
  struct Question {
    Protocol protocol;
    Use use;
    SocketAddress address;
  };
  bool allows(Protocol protocol, Use use, const SocketAddress& address) const override {
    std::lock_guard lock(mutex_);
    questions.push_back({protocol, use, address});
    for (const auto& [denied_use, denied_port] : denied) {
      if (denied_use == use && (denied_port == 0 || denied_port == address.port)) return false;
    }
    return true;
  }
  // Deny `use` for `port` (0: for every port).
  std::vector<std::pair<Use, std::uint16_t>> denied;
  mutable std::vector<Question> questions;

 private:
  mutable std::mutex mutex_;
};

}  // namespace wasi_socketd::sockets::testing
