#include "native_udp.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "loopback_address.h"

namespace wasi_socketd::bench {

struct UdpCounter::State {
  int fd = -1;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t received = 0;
  Clock::time_point last;
  bool stopping = false;
};

UdpCounter::UdpCounter() : state_(std::make_unique<State>()) {
  state_->fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  // FORCE passes net.core.rmem_max where this process may (root); the plain option otherwise.
  // 64-byte datagrams take about 1 KiB each in the queue: 64 MiB holds ~60,000, enough for the
  // bursts a batching sender makes while this thread waits for a core.
  const int buffer = 64 << 20;
  if (::setsockopt(state_->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer) != 0) {
    ::setsockopt(state_->fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  }
  sockaddr_in address = loopback_address(0);
  socklen_t length = sizeof address;
  if (::bind(state_->fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      ::getsockname(state_->fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("udp counter: bind failed");
  }
  port_ = ntohs(address.sin_port);
  state_->thread = std::thread([s = state_.get()] {
    // recvmmsg drains up to kBatch datagrams per syscall: the counter must not be the bottleneck.
    constexpr unsigned kBatch = 256;
    static thread_local char buffers[kBatch][2048];
    iovec vectors[kBatch];
    mmsghdr messages[kBatch]{};
    for (unsigned i = 0; i < kBatch; ++i) {
      vectors[i] = {buffers[i], sizeof buffers[i]};
      messages[i].msg_hdr.msg_iov = &vectors[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
    for (;;) {
      pollfd readable{s->fd, POLLIN, 0};
      ::poll(&readable, 1, 50);
      const std::lock_guard lock(s->mutex);
      if (s->stopping) return;
      bool any = false;
      for (int n; (n = ::recvmmsg(s->fd, messages, kBatch, MSG_DONTWAIT, nullptr)) > 0;) {
        s->received += static_cast<std::uint64_t>(n);
        any = true;
      }
      if (any) {
        s->last = Clock::now();
        s->changed.notify_all();
      }
    }
  });
}

UdpCounter::~UdpCounter() {
  {
    const std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->thread.join();
  ::close(state_->fd);
}

void UdpCounter::reset() {
  const std::lock_guard lock(state_->mutex);
  state_->received = 0;
}

std::uint64_t UdpCounter::wait_for_arrivals(std::uint64_t expected) {
  std::unique_lock lock(state_->mutex);
  for (std::uint64_t seen = state_->received; state_->received < expected;) {
    state_->changed.wait_for(lock, std::chrono::milliseconds(200));
    if (state_->received == seen) break;  // quiet for 200 ms: the rest was dropped
    seen = state_->received;
  }
  return state_->received;
}

UdpCounter::Rate UdpCounter::wait_for(std::uint64_t expected, Clock::time_point start) {
  const std::uint64_t arrived = wait_for_arrivals(expected);
  const std::lock_guard lock(state_->mutex);
  const double seconds = std::chrono::duration<double>(state_->last - start).count();
  return {seconds > 0 ? static_cast<double>(arrived) / seconds : 0,
          expected - std::min(expected, arrived)};
}

UdpCounter::Rate native_udp_rate(UdpCounter& counter, std::uint64_t count, std::size_t size) {
  counter.reset();
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in to = loopback_address(counter.port());
  std::vector<char> datagram(size, 'u');
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < count; ++i) {
    if (::sendto(fd, datagram.data(), size, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) <
        0) {
      throw std::runtime_error("native sendto failed");
    }
  }
  ::close(fd);
  return counter.wait_for(count, start);
}

}  // namespace wasi_socketd::bench
