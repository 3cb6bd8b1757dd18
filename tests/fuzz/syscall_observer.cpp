#include "syscall_observer.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <netdb.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>

namespace wasi_socketd::fuzz {

namespace {

thread_local std::optional<std::vector<SyscallEvent>> recording;
SyscallCheck syscall_check;
LookupCheck lookup_check;
std::atomic<std::size_t> finished_lookups{0};

template <class Function>
Function* real(const char* name) {
  void* symbol = ::dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) __builtin_trap();
  return reinterpret_cast<Function*>(symbol);
}

SyscallEvent event_of(Syscall call, const sockaddr* address, socklen_t length) {
  SyscallEvent event{.call = call};
  if (address != nullptr && length > 0) {
    event.address_length = std::min<socklen_t>(length, sizeof(event.address));
    std::memcpy(&event.address, address, event.address_length);
  }
  return event;
}

template <class Result>
Result observed(SyscallEvent event, Result result) {
  const int error = errno;
  event.result = static_cast<int>(result);
  event.error = result < 0 ? error : 0;
  if (recording) recording->push_back(event);
  if (syscall_check) syscall_check(event);
  errno = error;
  return result;
}

}  // namespace

std::string describe(const SyscallEvent& event) {
  static constexpr const char* kNames[] = {"socket", "bind",   "connect", "listen",
                                           "send",   "sendto", "sendmsg", "setsockopt"};
  std::string text = kNames[static_cast<int>(event.call)];
  if (event.call == Syscall::setsockopt) {
    text += " " + std::to_string(event.level) + "/" + std::to_string(event.option) + " = " +
            std::to_string(event.value);
  }
  char address[INET6_ADDRSTRLEN] = {};
  if (event.address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&event.address);
    ::inet_ntop(AF_INET, &in->sin_addr, address, sizeof(address));
    text += std::string(" ") + address + ":" + std::to_string(ntohs(in->sin_port));
  } else if (event.address.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&event.address);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, address, sizeof(address));
    text += std::string(" [") + address + "]:" + std::to_string(ntohs(in6->sin6_port));
  } else if (event.call == Syscall::socket) {
    text += event.type == SOCK_DGRAM ? " udp" : " tcp";
  }
  text += " -> " + std::to_string(event.result);
  if (event.result < 0) text += " errno " + std::to_string(event.error);
  return text;
}

void start_recording() { recording.emplace(); }

std::vector<SyscallEvent> stop_recording() {
  std::vector<SyscallEvent> events = std::move(recording).value_or(std::vector<SyscallEvent>{});
  recording.reset();
  return events;
}

void set_syscall_check(SyscallCheck check) { syscall_check = std::move(check); }
void set_lookup_check(LookupCheck check) { lookup_check = std::move(check); }
std::size_t lookups_done() { return finished_lookups.load(); }

}  // namespace wasi_socketd::fuzz

using wasi_socketd::fuzz::Syscall;
using wasi_socketd::fuzz::SyscallEvent;

// The interposed C library functions: same prototypes as glibc's (hence the noexcept where glibc
// says __THROW).
extern "C" int socket(int domain, int type, int protocol) noexcept {
  static auto* next = wasi_socketd::fuzz::real<int(int, int, int)>("socket");
  SyscallEvent event{.call = Syscall::socket, .type = type & 0xf};
  return wasi_socketd::fuzz::observed(event, next(domain, type, protocol));
}

extern "C" int bind(int fd, const sockaddr* address, socklen_t length) noexcept {
  static auto* next = wasi_socketd::fuzz::real<int(int, const sockaddr*, socklen_t)>("bind");
  return wasi_socketd::fuzz::observed(wasi_socketd::fuzz::event_of(Syscall::bind, address, length),
                                      next(fd, address, length));
}

extern "C" int connect(int fd, const sockaddr* address, socklen_t length) {
  static auto* next = wasi_socketd::fuzz::real<int(int, const sockaddr*, socklen_t)>("connect");
  return wasi_socketd::fuzz::observed(
      wasi_socketd::fuzz::event_of(Syscall::connect, address, length), next(fd, address, length));
}

extern "C" int listen(int fd, int backlog) noexcept {
  static auto* next = wasi_socketd::fuzz::real<int(int, int)>("listen");
  // The address the socket listens on is the one it is bound to (now, or implicitly by listen).
  const int result = next(fd, backlog);
  const int error = errno;
  SyscallEvent event{.call = Syscall::listen};
  socklen_t length = sizeof(event.address);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&event.address), &length) == 0) {
    event.address_length = length;
  }
  errno = error;
  return wasi_socketd::fuzz::observed(event, result);
}

extern "C" ssize_t send(int fd, const void* data, size_t size, int flags) {
  static auto* next = wasi_socketd::fuzz::real<ssize_t(int, const void*, size_t, int)>("send");
  return wasi_socketd::fuzz::observed(SyscallEvent{.call = Syscall::send},
                                      next(fd, data, size, flags));
}

extern "C" ssize_t sendto(int fd, const void* data, size_t size, int flags, const sockaddr* address,
                          socklen_t length) {
  static auto* next =
      wasi_socketd::fuzz::real<ssize_t(int, const void*, size_t, int, const sockaddr*, socklen_t)>(
          "sendto");
  return wasi_socketd::fuzz::observed(
      wasi_socketd::fuzz::event_of(Syscall::sendto, address, length),
      next(fd, data, size, flags, address, length));
}

extern "C" ssize_t sendmsg(int fd, const msghdr* message, int flags) {
  static auto* next = wasi_socketd::fuzz::real<ssize_t(int, const msghdr*, int)>("sendmsg");
  const auto* address = static_cast<const sockaddr*>(message->msg_name);
  return wasi_socketd::fuzz::observed(
      wasi_socketd::fuzz::event_of(Syscall::sendmsg, address, message->msg_namelen),
      next(fd, message, flags));
}

extern "C" int setsockopt(int fd, int level, int name, const void* value,
                          socklen_t length) noexcept {
  static auto* next =
      wasi_socketd::fuzz::real<int(int, int, int, const void*, socklen_t)>("setsockopt");
  SyscallEvent event{.call = Syscall::setsockopt, .level = level, .option = name};
  int type = 0;
  socklen_t type_length = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) == 0) event.type = type;
  const bool membership =
      (level == IPPROTO_IP && (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP)) ||
      (level == IPPROTO_IPV6 && (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP));
  if (value == nullptr) {
  } else if (level == SOL_SOCKET && name == SO_LINGER && length >= sizeof(::linger)) {
    ::linger linger{};
    std::memcpy(&linger, value, sizeof linger);
    event.value = linger.l_onoff != 0 ? linger.l_linger : -1;
  } else if (membership && level == IPPROTO_IP && length >= sizeof(in_addr)) {
    auto* group = reinterpret_cast<sockaddr_in*>(&event.address);  // imr_multiaddr comes first
    group->sin_family = AF_INET;
    std::memcpy(&group->sin_addr, value, sizeof(in_addr));
    event.address_length = sizeof(sockaddr_in);
  } else if (membership && length >= sizeof(in6_addr)) {
    auto* group = reinterpret_cast<sockaddr_in6*>(&event.address);  // ipv6mr_multiaddr first
    group->sin6_family = AF_INET6;
    std::memcpy(&group->sin6_addr, value, sizeof(in6_addr));
    event.address_length = sizeof(sockaddr_in6);
  } else if (length == sizeof(int)) {
    std::memcpy(&event.value, value, sizeof(int));
  }
  return wasi_socketd::fuzz::observed(event, next(fd, level, name, value, length));
}

extern "C" int getaddrinfo(const char* host, const char* service, const addrinfo* hints,
                           addrinfo** result) {
  static auto* next =
      wasi_socketd::fuzz::real<int(const char*, const char*, const addrinfo*, addrinfo**)>(
          "getaddrinfo");
  if (wasi_socketd::fuzz::lookup_check) wasi_socketd::fuzz::lookup_check(host ? host : "");
  const int status = next(host, service, hints, result);
  ++wasi_socketd::fuzz::finished_lookups;
  return status;
}
