#include "native_bulk.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "loopback_address.h"

namespace wasi_socketd::bench {
namespace {

void write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) throw std::runtime_error("write failed");
    data += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

struct TcpSink::State {
  int listener = -1;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t received = 0;
  bool stopping = false;
};

TcpSink::TcpSink() : state_(new State) {
  state_->listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = loopback_address(0);
  socklen_t len = sizeof addr;
  if (::bind(state_->listener, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(state_->listener, 16) != 0 ||
      ::getsockname(state_->listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("sink listen failed");
  }
  port_ = ntohs(addr.sin_port);
  state_->thread = std::thread([s = state_] {
    std::vector<char> buffer(1 << 20);
    for (;;) {
      int fd = ::accept4(s->listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;  // listener shut down
      for (;;) {
        ssize_t r = ::read(fd, buffer.data(), buffer.size());
        if (r <= 0) break;
        std::lock_guard lock(s->mutex);
        s->received += static_cast<std::uint64_t>(r);
        s->changed.notify_all();
      }
      ::close(fd);
    }
  });
}

TcpSink::~TcpSink() {
  ::shutdown(state_->listener, SHUT_RDWR);
  ::close(state_->listener);
  state_->thread.join();
  delete state_;
}

void TcpSink::reset() {
  std::lock_guard lock(state_->mutex);
  state_->received = 0;
}

void TcpSink::wait_for(std::uint64_t bytes) {
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->received >= bytes; });
}

TcpSource::TcpSource(std::uint64_t total) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = loopback_address(0);
  socklen_t len = sizeof addr;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("source listen failed");
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([listener = listener_, total] {
    std::vector<char> data(1 << 20, 'y');
    for (;;) {
      int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      try {
        for (std::uint64_t sent = 0; sent < total; sent += data.size()) {
          write_all(fd, data.data(), std::min<std::uint64_t>(data.size(), total - sent));
        }
      } catch (const std::runtime_error&) {
        // the reader went away early; its own report says so
      }
      ::close(fd);
    }
  });
}

TcpSource::~TcpSource() {
  ::shutdown(listener_, SHUT_RDWR);
  ::close(listener_);
  thread_.join();
}

double loopback_tcp_throughput(TcpSink& sink, std::uint64_t total, std::size_t chunk) {
  sink.reset();
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = loopback_address(sink.port());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("connect to sink failed");
  }
  std::vector<char> data(chunk, 'x');
  auto start = Clock::now();
  for (std::uint64_t sent = 0; sent < total; sent += chunk) write_all(fd, data.data(), chunk);
  sink.wait_for(total);
  double elapsed = seconds_since(start);
  ::close(fd);
  return static_cast<double>(total) / elapsed;
}

double unix_socket_throughput(std::uint64_t total, std::size_t chunk) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw std::runtime_error("socketpair failed");
  }
  std::thread reader([fd = pair[1], total] {
    std::vector<char> buffer(1 << 20);
    for (std::uint64_t got = 0; got < total;) {
      ssize_t r = ::read(fd, buffer.data(), buffer.size());
      if (r <= 0) return;
      got += static_cast<std::uint64_t>(r);
    }
  });
  std::vector<char> data(chunk, 'x');
  auto start = Clock::now();
  for (std::uint64_t sent = 0; sent < total; sent += chunk) write_all(pair[0], data.data(), chunk);
  reader.join();
  double elapsed = seconds_since(start);
  ::close(pair[0]);
  ::close(pair[1]);
  return static_cast<double>(total) / elapsed;
}

}  // namespace wasi_socketd::bench
