// libFuzzer target: sequences of broker calls on two live sessions of two tenants, in-process.
//
// Every unary RPC of proto/wasi_socketd/v1 (sockets-ext's SocketsExt too) is invoked directly on
// the real service objects with a CallbackServerContext bound to gRPC's DefaultReactorTestPeer (no
// server, no channel): the handler runs exactly as under gRPC (session lookup, the session's
// sequence, the socket core, real kernel sockets on loopback), and the test peer tells when and how
// often the call finished. Attach frames are applied as the Attach stream applies them, with a
// recording FrameSink. Ids are sometimes this session's, sometimes the other session's, sometimes
// made up; addresses mostly loopback, with hostile ones. Invariants (a violation traps, with a
// message on stderr):
//  - ids never cross sessions: a call naming an id this session was never given answers
//    invalid-argument and makes no network system call; every id in an outgoing frame is the
//    session's own;
//  - a denied operation never reaches the kernel: a call answered access-denied made no socket,
//    bind, connect, listen, send or setsockopt call (unless the kernel itself said EACCES/EPERM),
//    no system call at all targets an address the tenant's policy could not allow, and no option
//    only sockets-ext sets is set while serving beta, which is granted none (fuzz_tenants.h); an
//    extension call of beta never succeeds;
//  - every call finishes exactly once, and after both sessions end and the io_context drains the
//    process holds as many fds as before the input (a socket alpha dropped with a linger time
//    may take up to that bound, 10 s, plus its 10 s write flush: the drain waits for it).
// Syscalls are observed by interposition (syscall_observer.h): no daemon code is changed.
// Deterministic up to the kernel: one thread drives everything; lookups are waited for.
#include <dirent.h>
#include <fuzzer/FuzzedDataProvider.h>
#include <grpcpp/test/default_reactor_test_peer.h>
#include <unistd.h>

#include <netdb.h>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "fuzz_tenants.h"
#include "policy/policy_loader.h"
#include "policy/tenancy.h"
#include "service/client_frame.h"
#include "service/ip_name_lookup_service.h"
#include "service/network_service.h"
#include "service/sockets_ext_service.h"
#include "service/tcp_create_socket_service.h"
#include "service/tcp_service.h"
#include "service/udp_create_socket_service.h"
#include "service/udp_service.h"
#include "session/policy_tenants.h"
#include "session/session.h"
#include "session/session_registry.h"
#include "sockets/lookup_pool.h"
#include "syscall_observer.h"

namespace {

namespace v1 = wasi_socketd::v1;
namespace daemon = wasi_socketd::daemon;
namespace fuzz = wasi_socketd::fuzz;
using fuzz::Who;

// SERVICE_CALLS_TRACE=1 prints every call, its answer and its system calls (to replay a crash).
const bool tracing = std::getenv("SERVICE_CALLS_TRACE") != nullptr;

void trace_events(const std::vector<fuzz::SyscallEvent>& events) {
  for (const fuzz::SyscallEvent& event : events) {
    std::fprintf(stderr, "    %s\n", fuzz::describe(event).c_str());
  }
}

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "service_calls_fuzz: invariant violated: %s\n", what);
  std::fflush(stderr);
  __builtin_trap();
}

void require(bool invariant, const char* what) {
  if (!invariant) violated(what);
}

// The process's open fds and what each is ("socket:[123]", "anon_inode:[eventpoll]", ...).
std::map<int, std::string> open_fds() {
  std::map<int, std::string> fds;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) violated("cannot read /proc/self/fd");
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd == own) continue;
    char target[256] = {};
    const std::string path = std::string("/proc/self/fd/") + entry->d_name;
    const ssize_t length = ::readlink(path.c_str(), target, sizeof(target) - 1);
    fds[fd] = length > 0 ? std::string(target, static_cast<std::size_t>(length)) : "?";
  }
  ::closedir(dir);
  return fds;
}

// The serving side of one call; kept until the input ends, because handlers that finish later
// (shutdown, lookups, abandoned calls) still write the response and finish the reactor.
struct Call {
  explicit Call(const char* name) : name(name) {}
  virtual ~Call() = default;
  const char* name;
  grpc::CallbackServerContext context;
  int finishes = 0;
  grpc::testing::DefaultReactorTestPeer peer{&context, [this](const grpc::Status&) { ++finishes; }};
};

template <class Request, class Response>
struct TypedCall : Call {
  using Call::Call;
  Request request;
  Response response;
};

// The Attach stream's place: records frames, completes each write at once (on the sequence).
class RecordingSink final : public daemon::FrameSink {
 public:
  void bind(std::weak_ptr<daemon::Session> session) { session_ = std::move(session); }
  void write(v1::ServerFrame frame) override {
    frames_.push_back(std::move(frame));
    if (auto session = session_.lock()) {
      boost::asio::post(session->strand(), [weak = session_] {
        if (auto live = weak.lock()) live->frame_written();
      });
    }
  }
  void resume_reading() override {
  }  // frames are applied as the input gives them: nothing held back
  void finish() override { finished_ = true; }
  std::vector<v1::ServerFrame> take() { return std::exchange(frames_, {}); }

 private:
  std::weak_ptr<daemon::Session> session_;
  std::vector<v1::ServerFrame> frames_;
  bool finished_ = false;
};

struct Side {
  Who who;
  std::shared_ptr<daemon::Session> session;
  std::uint64_t network_id = 0;
  std::set<std::uint64_t> issued;  // every id this session was given
  std::vector<std::uint64_t> tcp, udp;
  std::vector<std::uint32_t> ports;  // local ports seen, to connect/send to
  RecordingSink sink;
  bool attached = false;
};

// What lives for the whole run: the io_context, the services, the tenancy.
struct Daemon {
  Daemon() {
    auto loaded = wasi_socketd::policy::parse_policy(fuzz::kFuzzPolicy, "fuzz.toml");
    if (!loaded.ok()) violated("the fuzz policy does not load");
    tenancy = wasi_socketd::policy::Tenancy::create(loaded.policy, "").tenancy;
    if (!tenancy) violated("no tenancy");
    tenants = daemon::policy_tenant_resolver(tenancy);
    // The io_context opens its reactor (epoll, eventfd, timerfd) with its first socket, and
    // the C library its resolver files with the first lookup: both once per process, so they
    // happen here, before any input's fds are counted.
    boost::asio::ip::tcp::socket warm_up(io);
    warm_up.open(boost::asio::ip::tcp::v4());
    addrinfo* found = nullptr;
    if (::getaddrinfo("localhost", nullptr, nullptr, &found) == 0) ::freeaddrinfo(found);
  }

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  wasi_socketd::sockets::LookupPool lookups{{.threads = 1, .per_tenant = 1}};
  daemon::SessionRegistry registry;
  std::shared_ptr<wasi_socketd::policy::Tenancy> tenancy;
  daemon::TenantResolver tenants;
  daemon::NetworkService network{registry};
  daemon::TcpCreateSocketService tcp_create{registry};
  daemon::TcpService tcp{registry};
  daemon::UdpCreateSocketService udp_create{registry};
  daemon::UdpService udp{registry};
  daemon::IpNameLookupService lookup{registry, lookups};
  daemon::SocketsExtService sockets_ext{registry};
};

Daemon& the_daemon() {
  static Daemon* daemon = new Daemon;  // never destroyed: libFuzzer may exit from any point
  return *daemon;
}

std::atomic<Who> serving{Who::either};

void install_checks() {
  fuzz::set_syscall_check([](const fuzz::SyscallEvent& event) {
    if (!fuzz::oracle_allows(serving.load(), event)) {
      std::fprintf(stderr, "%s while serving %s\n", fuzz::describe(event).c_str(),
                   serving.load() == Who::beta ? "beta" : "alpha (or between calls)");
      violated("a system call reached the kernel with an address the policy cannot allow");
    }
  });
  fuzz::set_lookup_check([](const std::string& host) {
    if (!fuzz::oracle_allows_lookup(host)) {
      std::fprintf(stderr, "getaddrinfo(\"%s\")\n", host.c_str());
      violated("a name the policy does not allow reached getaddrinfo");
    }
  });
}

class Run {
 public:
  Run(Daemon& daemon, FuzzedDataProvider& input) : d_(daemon), in_(input) {
    alpha_.who = Who::alpha;
    beta_.who = Who::beta;
    open(alpha_, fuzz::kAlphaUid);
    open(beta_, fuzz::kBetaUid);
  }

  void step() {
    Side& side = in_.ConsumeBool() ? alpha_ : beta_;
    switch (in_.ConsumeIntegralInRange(0, 35)) {
      case 0:
      case 1:
        create_tcp(side);
        break;
      case 2:
        create_udp(side);
        break;
      case 3:
      case 4:
        tcp_bind(side);
        break;
      case 5:
        tcp_id_call(side, &daemon::TcpService::FinishBind, "tcp.FinishBind");
        break;
      case 6:
      case 7:
        tcp_connect(side);
        break;
      case 8:
        tcp_finish_connect(side);
        break;
      case 9:
        tcp_id_call(side, &daemon::TcpService::StartListen, "tcp.StartListen");
        break;
      case 10:
        tcp_id_call(side, &daemon::TcpService::FinishListen, "tcp.FinishListen");
        break;
      case 11:
        tcp_accept(side);
        break;
      case 12:
        tcp_local_address(side);
        break;
      case 13:
        tcp_query(side);
        break;
      case 14:
        tcp_options(side);
        break;
      case 15:
        tcp_shutdown(side);
        break;
      case 16:
        tcp_drop(side);
        break;
      case 17:
        udp_bind(side);
        break;
      case 18:
        udp_stream(side);
        break;
      case 19:
      case 20:
        udp_send(side);
        break;
      case 21:
        udp_receive(side);
        break;
      case 22:
        udp_query(side);
        break;
      case 23:
        udp_options(side);
        break;
      case 24:
        udp_drop(side);
        break;
      case 25:
        resolve(side);
        break;
      case 26:
        network(side);
        break;
      case 27:
        attach(side);
        break;
      case 28:
      case 29:
        frame(side);
        break;
      case 30:
        connected_pair(side, in_.ConsumeBool() ? alpha_ : beta_);
        break;
      case 31:
      case 32:
        ext_option(side);
        break;
      case 33:
        ext_membership(side);
        break;
      default:
        settle(std::chrono::milliseconds(in_.ConsumeIntegralInRange(0, 2)));
        break;
    }
    check_frames(alpha_);
    check_frames(beta_);
  }

  // Ends both sessions, lets every handler run, then checks what must have come back.
  void finish() {
    for (Side* side : {&alpha_, &beta_}) {
      boost::asio::post(side->session->strand(), [session = side->session] { session->end(); });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!all_finished()) {
      if (std::chrono::steady_clock::now() > deadline) {
        for (const auto& call : calls_) {
          if (call->finishes == 0) std::fprintf(stderr, "unfinished: %s\n", call->name);
        }
        violated("a call never finished after its session ended");
      }
      d_.io.run_one_for(std::chrono::milliseconds(1));
    }
    settle(std::chrono::milliseconds(0));
    check_frames(alpha_);
    check_frames(beta_);
    for (const auto& call : calls_) require(call->finishes == 1, "a call finished twice");
    d_.registry.unbind(daemon::SessionRegistry::kInProcess, *alpha_.session);
    d_.registry.unbind(daemon::SessionRegistry::kInProcess, *beta_.session);
    alpha_.session.reset();
    beta_.session.reset();
    settle(std::chrono::milliseconds(0));
    calls_.clear();
  }

 private:
  void open(Side& side, uid_t uid) {
    std::optional<daemon::TenantAccess> tenant =
        d_.tenants({.uid = uid, .gid = uid, .pid = 1}).tenant;
    require(tenant.has_value(), "a fuzz tenant was not admitted");
    side.session =
        std::make_shared<daemon::Session>(wasi_socketd::sockets::make_strand(d_.io),
                                          std::move(*tenant), daemon::PeerCredentials{.uid = uid});
    side.sink.bind(side.session);
    auto& call = invoke(side, d_.network, &daemon::NetworkService::InstanceNetwork,
                        "network.InstanceNetwork", v1::InstanceNetworkRequest{});
    side.network_id = call.response.network_id();
    side.issued.insert(side.network_id);
  }

  Side& other(const Side& side) { return &side == &alpha_ ? beta_ : alpha_; }

  // ---- ids ----
  std::uint64_t pick(const std::vector<std::uint64_t>& ids) {
    return ids[in_.ConsumeIntegralInRange<std::size_t>(0, ids.size() - 1)];
  }
  std::uint64_t id(const Side& side, const std::vector<std::uint64_t>& mine,
                   const std::vector<std::uint64_t>& mine_other_kind) {
    const Side& them = &side == &alpha_ ? beta_ : alpha_;
    switch (in_.ConsumeIntegralInRange(0, 9)) {
      case 6:
        if (!mine_other_kind.empty()) return pick(mine_other_kind);
        break;
      case 7:
        if (!them.tcp.empty()) return pick(them.tcp);
        break;
      case 8:
        if (!them.udp.empty()) return pick(them.udp);
        return them.network_id;
      case 9: {
        const std::uint64_t near = mine.empty() ? side.network_id : pick(mine);
        switch (in_.ConsumeIntegralInRange(0, 3)) {
          case 0:
            return 0;
          case 1:
            return near + in_.ConsumeIntegralInRange<std::uint64_t>(1, 4);
          case 2:
            return side.network_id;
          default:
            return in_.ConsumeIntegral<std::uint64_t>();
        }
      }
      default:
        break;
    }
    return mine.empty() ? in_.ConsumeIntegral<std::uint64_t>() : pick(mine);
  }
  std::uint64_t network_id(const Side& side) {
    if (in_.ConsumeIntegralInRange(0, 7) != 0) return side.network_id;
    return in_.ConsumeBool() ? other(side).network_id : in_.ConsumeIntegral<std::uint64_t>();
  }

  // ---- addresses ----
  v1::IpSocketAddress address(const Side& side) {
    static const std::vector<std::vector<std::uint8_t>> kV4 = {
        {127, 0, 0, 1},       {127, 0, 0, 1}, {127, 0, 0, 2}, {0, 0, 0, 0},        {224, 0, 0, 1},
        {255, 255, 255, 255}, {10, 0, 0, 1},  {192, 0, 2, 1}, {127, 255, 255, 255}};
    static const std::vector<std::vector<std::uint8_t>> kV6 = {
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1},
        {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1}};
    v1::IpSocketAddress wire;
    v1::IpAddress* ip = wire.mutable_address();
    const int family = in_.ConsumeIntegralInRange(0, 9);
    std::vector<std::uint8_t> octets;
    if (family < 5) {
      ip->set_family(v1::IP_ADDRESS_FAMILY_IPV4);
      octets = kV4[in_.ConsumeIntegralInRange<std::size_t>(0, kV4.size() - 1)];
    } else if (family < 9) {
      ip->set_family(v1::IP_ADDRESS_FAMILY_IPV6);
      octets = kV6[in_.ConsumeIntegralInRange<std::size_t>(0, kV6.size() - 1)];
    } else {  // anything: random family number and bytes
      ip->set_family(static_cast<v1::IpAddressFamily>(in_.ConsumeIntegralInRange(0, 3)));
      octets = in_.ConsumeBytes<std::uint8_t>(in_.ConsumeIntegralInRange(0, 17));
    }
    ip->set_octets(octets.data(), octets.size());
    switch (in_.ConsumeIntegralInRange(0, 7)) {
      case 0:
        wire.set_port(0);
        break;
      case 1:
        wire.set_port(in_.ConsumeIntegral<std::uint32_t>());
        break;
      case 2:
        wire.set_port(in_.ConsumeIntegralInRange(1, 1023));
        break;
      case 3:
      case 4:
        if (!side.ports.empty()) {
          wire.set_port(
              side.ports[in_.ConsumeIntegralInRange<std::size_t>(0, side.ports.size() - 1)]);
          break;
        }
        [[fallthrough]];
      default:
        wire.set_port(30000 + in_.ConsumeIntegralInRange(0, 3));
        break;
    }
    if (in_.ConsumeIntegralInRange(0, 15) == 0) {
      wire.set_flow_info(in_.ConsumeIntegral<std::uint32_t>());
      wire.set_scope_id(in_.ConsumeIntegral<std::uint32_t>());
    }
    return wire;
  }
  v1::IpAddressFamily family() {
    return static_cast<v1::IpAddressFamily>(in_.ConsumeIntegralInRange(0, 7) == 0
                                                ? in_.ConsumeIntegralInRange(0, 5)
                                                : in_.ConsumeIntegralInRange(1, 2));
  }

  // ---- calling ----
  template <class Service, class Request, class Response>
  TypedCall<Request, Response>& invoke(Side& side, Service& service,
                                       grpc::ServerUnaryReactor* (Service::*method)(
                                           grpc::CallbackServerContext*, const Request*, Response*),
                                       const char* name, Request request, std::uint64_t id = 0,
                                       bool names_id = false) {
    auto owned = std::make_unique<TypedCall<Request, Response>>(name);
    auto& call = *owned;
    calls_.push_back(std::move(owned));
    call.request = std::move(request);
    run_pending();
    d_.registry.bind(daemon::SessionRegistry::kInProcess, side.session);
    serving = side.who;
    fuzz::start_recording();
    (service.*method)(&call.context, &call.request, &call.response);
    last_events_ = fuzz::stop_recording();
    serving = Who::either;
    if (tracing) {
      std::fprintf(stderr, "%s %s(%s): %s\n", side.who == Who::alpha ? "alpha" : "beta", name,
                   call.request.ShortDebugString().c_str(),
                   call.response.ShortDebugString().c_str());
      trace_events(last_events_);
    }
    // Every handler ran inline on this thread (the session was idle), so the answer is there unless
    // it waits for the kernel (shutdown) or a lookup.
    if constexpr (requires { call.response.error(); }) {
      if (names_id && !side.issued.contains(id)) {
        require(call.finishes == 1 && call.response.error() == v1::ERROR_CODE_INVALID_ARGUMENT,
                "an id this session was never given was not invalid-argument");
        require(last_events_.empty(), "a call with a foreign id made a system call");
      }
      if (call.response.error() == v1::ERROR_CODE_ACCESS_DENIED) check_denial_reached_nothing();
    }
    return call;
  }

  void check_denial_reached_nothing() const {
    for (const fuzz::SyscallEvent& event : last_events_) {
      if (event.result < 0 && (event.error == EACCES || event.error == EPERM)) return;
    }
    for (const fuzz::SyscallEvent& event : last_events_) {
      if (event.call != fuzz::Syscall::send) {
        std::fprintf(stderr, "%s before access-denied\n", fuzz::describe(event).c_str());
        violated("an operation answered access-denied reached a system call");
      }
    }
  }

  // Work already posted to the sessions (frame acks, completions) runs first: each session is
  // strictly FIFO, so a call made behind it would be queued instead of running inline.
  void run_pending() {
    d_.io.restart();
    d_.io.poll();
  }

  void settle(std::chrono::milliseconds wait) {
    for (int round = 0; round < 16 && d_.io.poll() > 0; ++round) {
    }
    if (wait.count() > 0) d_.io.run_for(wait);
  }

  void learn(Side& side, std::uint64_t id, std::vector<std::uint64_t>& ids) {
    require(id != 0 && !other(side).issued.contains(id), "an issued id was another session's");
    require(side.issued.insert(id).second, "an id was issued twice");
    ids.push_back(id);
  }

  void create_tcp(Side& side) {
    v1::CreateTcpSocketRequest request;
    request.set_family(family());
    auto& call = invoke(side, d_.tcp_create, &daemon::TcpCreateSocketService::CreateTcpSocket,
                        "tcp.Create", std::move(request));
    if (call.response.error() == v1::ERROR_CODE_UNSPECIFIED)
      learn(side, call.response.socket_id(), side.tcp);
  }
  void create_udp(Side& side) {
    v1::CreateUdpSocketRequest request;
    request.set_family(family());
    auto& call = invoke(side, d_.udp_create, &daemon::UdpCreateSocketService::CreateUdpSocket,
                        "udp.Create", std::move(request));
    if (call.response.error() == v1::ERROR_CODE_UNSPECIFIED)
      learn(side, call.response.socket_id(), side.udp);
  }

  // An id for a call on a socket of kind `tcp` (true) or UDP.
  std::uint64_t socket_id(const Side& side, bool tcp) {
    return tcp ? id(side, side.tcp, side.udp) : id(side, side.udp, side.tcp);
  }
  template <class Service, class Request, class Response>
  void id_call(Side& side, Service& service,
               grpc::ServerUnaryReactor* (Service::*method)(grpc::CallbackServerContext*,
                                                            const Request*, Response*),
               const char* name) {
    Request request;
    request.set_socket_id(socket_id(side, std::is_same_v<Service, daemon::TcpService>));
    invoke(side, service, method, name, request, request.socket_id(), true);
  }
  template <class Method>
  void tcp_id_call(Side& side, Method method, const char* name) {
    id_call(side, d_.tcp, method, name);
  }
  template <class Method>
  void udp_id_call(Side& side, Method method, const char* name) {
    id_call(side, d_.udp, method, name);
  }
  void tcp_bind(Side& side) {
    v1::TcpStartBindRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    request.set_network_id(network_id(side));
    if (in_.ConsumeIntegralInRange(0, 15) != 0) *request.mutable_local_address() = address(side);
    invoke(side, d_.tcp, &daemon::TcpService::StartBind, "tcp.StartBind", request,
           request.socket_id(), true);
  }
  void tcp_connect(Side& side) {
    v1::TcpStartConnectRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    request.set_network_id(network_id(side));
    if (in_.ConsumeIntegralInRange(0, 15) != 0) *request.mutable_remote_address() = address(side);
    invoke(side, d_.tcp, &daemon::TcpService::StartConnect, "tcp.StartConnect", request,
           request.socket_id(), true);
  }
  void tcp_finish_connect(Side& side) {
    tcp_id_call(side, &daemon::TcpService::FinishConnect, "tcp.FinishConnect");
  }
  void tcp_accept(Side& side) {
    v1::TcpSocketRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    auto& call = invoke(side, d_.tcp, &daemon::TcpService::Accept, "tcp.Accept", request,
                        request.socket_id(), true);
    if (call.response.error() == v1::ERROR_CODE_UNSPECIFIED)
      learn(side, call.response.socket_id(), side.tcp);
  }
  void tcp_local_address(Side& side) {
    v1::TcpSocketRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    auto& call = invoke(side, d_.tcp, &daemon::TcpService::LocalAddress, "tcp.LocalAddress",
                        request, request.socket_id(), true);
    if (call.response.error() == v1::ERROR_CODE_UNSPECIFIED && side.ports.size() < 16) {
      side.ports.push_back(call.response.address().port());
      other(side).ports.push_back(call.response.address().port());
    }
  }
  void tcp_query(Side& side) {
    switch (in_.ConsumeIntegralInRange(0, 2)) {
      case 0:
        tcp_id_call(side, &daemon::TcpService::RemoteAddress, "tcp.RemoteAddress");
        break;
      case 1:
        tcp_id_call(side, &daemon::TcpService::IsListening, "tcp.IsListening");
        break;
      default:
        tcp_id_call(side, &daemon::TcpService::AddressFamily, "tcp.AddressFamily");
        break;
    }
  }
  std::uint64_t option_value() {
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0:
        return in_.ConsumeIntegralInRange<std::uint64_t>(0, 2);
      case 1:
        return in_.ConsumeIntegralInRange<std::uint64_t>(0, 1u << 20);
      case 2:
        return in_.ConsumeIntegralInRange<std::uint64_t>(0, 1'000'000'000'000ULL);
      default:
        return in_.ConsumeIntegral<std::uint64_t>();
    }
  }
  // get-option or set-option with any option number (including unknown ones) and value.
  template <class Option, class GetRequest, class SetRequest, class SetResponse, class Service>
  void options(Side& side, Service& service,
               grpc::ServerUnaryReactor* (Service::*get)(grpc::CallbackServerContext*,
                                                         const GetRequest*,
                                                         v1::OptionValueResponse*),
               grpc::ServerUnaryReactor* (Service::*set)(grpc::CallbackServerContext*,
                                                         const SetRequest*, SetResponse*),
               int largest_option) {
    const bool tcp = std::is_same_v<Service, daemon::TcpService>;
    const auto option = static_cast<Option>(in_.ConsumeIntegralInRange(0, largest_option + 1));
    if (in_.ConsumeBool()) {
      GetRequest request;
      request.set_socket_id(socket_id(side, tcp));
      request.set_option(option);
      invoke(side, service, get, tcp ? "tcp.GetOption" : "udp.GetOption", request,
             request.socket_id(), true);
    } else {
      SetRequest request;
      request.set_socket_id(socket_id(side, tcp));
      request.set_option(option);
      request.set_value(option_value());
      invoke(side, service, set, tcp ? "tcp.SetOption" : "udp.SetOption", request,
             request.socket_id(), true);
    }
  }
  void tcp_options(Side& side) {
    options<v1::TcpOption>(side, d_.tcp, &daemon::TcpService::GetOption,
                           &daemon::TcpService::SetOption, v1::TcpOption_MAX);
  }
  std::uint64_t write_offset() {
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0:
        return 0;
      case 1:
        return in_.ConsumeIntegralInRange<std::uint64_t>(0, 4096);
      case 2:
        return ~std::uint64_t{0};
      default:
        return in_.ConsumeIntegral<std::uint64_t>();
    }
  }
  void tcp_shutdown(Side& side) {
    v1::TcpShutdownRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    request.set_how(static_cast<v1::ShutdownType>(in_.ConsumeIntegralInRange(0, 4)));
    request.set_write_offset(write_offset());
    invoke(side, d_.tcp, &daemon::TcpService::Shutdown, "tcp.Shutdown", request,
           request.socket_id(), true);
  }
  void tcp_drop(Side& side) {
    v1::TcpDropRequest request;
    request.set_socket_id(id(side, side.tcp, side.udp));
    request.set_write_offset(write_offset());
    invoke(side, d_.tcp, &daemon::TcpService::Drop, "tcp.Drop", request, request.socket_id(), true);
  }

  // A shortcut to the data path, which call-by-call mutation reaches only rarely: `server`
  // listens on a loopback port both tenants may connect to, `client` connects, `server` accepts.
  // Every step is an ordinary checked call; any of them may fail (address in use, denied).
  void connected_pair(Side& server, Side& client) {
    const bool v6 = server.who == Who::beta || client.who == Who::beta || in_.ConsumeBool();
    const std::uint32_t port = 30000 + in_.ConsumeIntegralInRange(0, 10);
    v1::IpSocketAddress loopback;
    loopback.mutable_address()->set_family(v6 ? v1::IP_ADDRESS_FAMILY_IPV6
                                              : v1::IP_ADDRESS_FAMILY_IPV4);
    const std::string octets = v6 ? std::string(15, '\0') + '\1' : std::string("\x7f\0\0\1", 4);
    loopback.mutable_address()->set_octets(octets);
    loopback.set_port(port);

    const std::uint64_t listener = new_tcp_socket(server, v6);
    if (listener == 0) return;
    v1::TcpStartBindRequest bind;
    bind.set_socket_id(listener);
    bind.set_network_id(server.network_id);
    *bind.mutable_local_address() = loopback;
    invoke(server, d_.tcp, &daemon::TcpService::StartBind, "tcp.StartBind", bind);
    v1::TcpSocketRequest on_listener;
    on_listener.set_socket_id(listener);
    invoke(server, d_.tcp, &daemon::TcpService::FinishBind, "tcp.FinishBind", on_listener);
    invoke(server, d_.tcp, &daemon::TcpService::StartListen, "tcp.StartListen", on_listener);
    invoke(server, d_.tcp, &daemon::TcpService::FinishListen, "tcp.FinishListen", on_listener);
    if (server.ports.size() < 16) server.ports.push_back(port);
    if (client.ports.size() < 16) client.ports.push_back(port);

    const std::uint64_t connecting = new_tcp_socket(client, v6);
    if (connecting == 0) return;
    v1::TcpStartConnectRequest connect;
    connect.set_socket_id(connecting);
    connect.set_network_id(client.network_id);
    *connect.mutable_remote_address() = loopback;
    invoke(client, d_.tcp, &daemon::TcpService::StartConnect, "tcp.StartConnect", connect);
    settle(std::chrono::milliseconds(1));
    v1::TcpSocketRequest on_client;
    on_client.set_socket_id(connecting);
    invoke(client, d_.tcp, &daemon::TcpService::FinishConnect, "tcp.FinishConnect", on_client);
    auto& accepted = invoke(server, d_.tcp, &daemon::TcpService::Accept, "tcp.Accept", on_listener);
    if (accepted.response.error() == v1::ERROR_CODE_UNSPECIFIED) {
      learn(server, accepted.response.socket_id(), server.tcp);
    }
  }
  std::uint64_t new_tcp_socket(Side& side, bool v6) {
    v1::CreateTcpSocketRequest request;
    request.set_family(v6 ? v1::IP_ADDRESS_FAMILY_IPV6 : v1::IP_ADDRESS_FAMILY_IPV4);
    auto& call = invoke(side, d_.tcp_create, &daemon::TcpCreateSocketService::CreateTcpSocket,
                        "tcp.Create", std::move(request));
    if (call.response.error() != v1::ERROR_CODE_UNSPECIFIED) return 0;
    learn(side, call.response.socket_id(), side.tcp);
    return call.response.socket_id();
  }

  void udp_bind(Side& side) {
    v1::UdpStartBindRequest request;
    request.set_socket_id(id(side, side.udp, side.tcp));
    request.set_network_id(network_id(side));
    if (in_.ConsumeIntegralInRange(0, 15) != 0) *request.mutable_local_address() = address(side);
    invoke(side, d_.udp, &daemon::UdpService::StartBind, "udp.StartBind", request,
           request.socket_id(), true);
    if (in_.ConsumeBool()) udp_id_call(side, &daemon::UdpService::FinishBind, "udp.FinishBind");
  }
  void udp_stream(Side& side) {
    v1::UdpStreamRequest request;
    request.set_socket_id(id(side, side.udp, side.tcp));
    if (in_.ConsumeIntegralInRange(0, 3) != 0) *request.mutable_remote_address() = address(side);
    auto& call = invoke(side, d_.udp, &daemon::UdpService::Stream, "udp.Stream", request,
                        request.socket_id(), true);
    generation_ = call.response.stream_generation();
  }
  std::uint64_t generation() {
    return in_.ConsumeIntegralInRange(0, 5) == 0 ? in_.ConsumeIntegral<std::uint64_t>()
                                                 : generation_;
  }
  void udp_send(Side& side) {
    v1::UdpSendRequest request;
    request.set_socket_id(id(side, side.udp, side.tcp));
    request.set_stream_generation(generation());
    const int count = in_.ConsumeIntegralInRange(0, 3);
    for (int i = 0; i < count; ++i) {
      v1::OutgoingDatagram* datagram = request.add_datagrams();
      const std::size_t size =
          in_.ConsumeIntegralInRange(0, 15) == 0 ? 65536 : in_.ConsumeIntegralInRange(0, 64);
      datagram->set_data(std::string(size, 'x'));
      if (in_.ConsumeIntegralInRange(0, 3) != 0)
        *datagram->mutable_remote_address() = address(side);
    }
    auto& call = invoke(side, d_.udp, &daemon::UdpService::Send, "udp.Send", request,
                        request.socket_id(), true);
    (void)call;
  }
  void udp_receive(Side& side) {
    v1::UdpReceiveRequest request;
    request.set_socket_id(id(side, side.udp, side.tcp));
    request.set_stream_generation(generation());
    request.set_max_results(in_.ConsumeIntegralInRange(0, 9) == 0
                                ? in_.ConsumeIntegral<std::uint64_t>()
                                : in_.ConsumeIntegralInRange(0, 4));
    invoke(side, d_.udp, &daemon::UdpService::Receive, "udp.Receive", request, request.socket_id(),
           true);
  }
  void udp_query(Side& side) {
    switch (in_.ConsumeIntegralInRange(0, 2)) {
      case 0:
        udp_id_call(side, &daemon::UdpService::LocalAddress, "udp.LocalAddress");
        break;
      case 1:
        udp_id_call(side, &daemon::UdpService::RemoteAddress, "udp.RemoteAddress");
        break;
      default:
        udp_id_call(side, &daemon::UdpService::AddressFamily, "udp.AddressFamily");
        break;
    }
  }
  void udp_options(Side& side) {
    options<v1::UdpOption>(side, d_.udp, &daemon::UdpService::GetOption,
                           &daemon::UdpService::SetOption, v1::UdpOption_MAX);
  }
  void udp_drop(Side& side) { udp_id_call(side, &daemon::UdpService::Drop, "udp.Drop"); }

  // ---- wasi-socketd:sockets-ext ----
  void ext_answered(const Side& side, v1::ErrorCode error) {
    if (side.who == Who::beta) {
      require(error != v1::ERROR_CODE_UNSPECIFIED,
              "an extension call of beta (no grant) succeeded");
    }
  }
  std::uint64_t ext_value(v1::ExtOption option) {
    if (option == v1::EXT_OPTION_LINGER && in_.ConsumeBool()) {  // ns: 0, sub-second, seconds
      return in_.ConsumeIntegralInRange<std::uint64_t>(0, 3) * 500'000'000ULL;
    }
    if (option == v1::EXT_OPTION_MULTICAST_INTERFACE && in_.ConsumeBool()) {
      return in_.ConsumeIntegralInRange<std::uint64_t>(0, 2);  // none, lo, (maybe) another
    }
    return option_value();
  }
  // GetOption or SetOption with any option number (unknown ones too), value and none flag, on
  // an id of either kind, this session's or not.
  void ext_option(Side& side) {
    const auto option = static_cast<v1::ExtOption>(
        in_.ConsumeIntegralInRange(0, static_cast<int>(v1::ExtOption_MAX) + 1));
    const std::uint64_t socket = socket_id(side, in_.ConsumeBool());
    if (in_.ConsumeBool()) {
      v1::ExtGetOptionRequest request;
      request.set_socket_id(socket);
      request.set_option(option);
      auto& call = invoke(side, d_.sockets_ext, &daemon::SocketsExtService::GetOption,
                          "ext.GetOption", request, socket, true);
      ext_answered(side, call.response.error());
    } else {
      v1::ExtSetOptionRequest request;
      request.set_socket_id(socket);
      request.set_option(option);
      request.set_value(ext_value(option));
      request.set_none(in_.ConsumeIntegralInRange(0, 3) == 0);
      auto& call = invoke(side, d_.sockets_ext, &daemon::SocketsExtService::SetOption,
                          "ext.SetOption", request, socket, true);
      ext_answered(side, call.response.error());
    }
  }
  // JoinMulticastGroup / LeaveMulticastGroup: granted, ungranted, non-multicast and malformed
  // groups, on any id, with interface 0, lo or anything.
  void ext_membership(Side& side) {
    static const std::vector<std::vector<std::uint8_t>> kGroups = {
        {239, 255, 77, 1},
        {239, 255, 77, 200},
        {239, 255, 78, 1},
        {224, 0, 0, 1},
        {127, 0, 0, 1},
        {0xff, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77, 0, 1},
        {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 239, 255, 77, 1}};
    v1::ExtMulticastRequest request;
    request.set_socket_id(socket_id(side, in_.ConsumeIntegralInRange(0, 7) == 0));
    v1::IpAddress* group = request.mutable_group();
    std::vector<std::uint8_t> octets;
    if (in_.ConsumeIntegralInRange(0, 7) != 0) {
      octets = kGroups[in_.ConsumeIntegralInRange<std::size_t>(0, kGroups.size() - 1)];
      group->set_family(octets.size() == 4 ? v1::IP_ADDRESS_FAMILY_IPV4
                                           : v1::IP_ADDRESS_FAMILY_IPV6);
    } else {
      group->set_family(static_cast<v1::IpAddressFamily>(in_.ConsumeIntegralInRange(0, 3)));
      octets = in_.ConsumeBytes<std::uint8_t>(in_.ConsumeIntegralInRange(0, 17));
    }
    group->set_octets(octets.data(), octets.size());
    switch (in_.ConsumeIntegralInRange(0, 3)) {
      case 0:
      case 1:
        request.set_interface_index(0);
        break;
      case 2:
        request.set_interface_index(1);
        break;
      default:
        request.set_interface_index(in_.ConsumeIntegral<std::uint32_t>());
        break;
    }
    const bool join = in_.ConsumeBool();
    auto& call = invoke(side, d_.sockets_ext,
                        join ? &daemon::SocketsExtService::JoinMulticastGroup
                             : &daemon::SocketsExtService::LeaveMulticastGroup,
                        join ? "ext.JoinMulticastGroup" : "ext.LeaveMulticastGroup", request,
                        request.socket_id(), true);
    ext_answered(side, call.response.error());
  }

  void resolve(Side& side) {
    static const std::vector<std::string> kNames = {"localhost",
                                                    "LOCALHOST.",
                                                    "127.0.0.1",
                                                    "127.1",
                                                    "0x7f.0.0.1",
                                                    "::1",
                                                    "[::1]",
                                                    "10.0.0.1",
                                                    "[::ffff:10.0.0.1]",
                                                    "224.0.0.1",
                                                    "a.fuzz.test",
                                                    "",
                                                    ".",
                                                    "local\x01host",
                                                    "xn--",
                                                    std::string(256, 'a')};
    v1::ResolveAddressesRequest request;
    request.set_network_id(network_id(side));
    request.set_name(in_.ConsumeIntegralInRange(0, 7) == 0
                         ? in_.ConsumeRandomLengthString(64)
                         : kNames[in_.ConsumeIntegralInRange<std::size_t>(0, kNames.size() - 1)]);
    const std::size_t lookups_before = fuzz::lookups_done();
    auto& call = invoke(side, d_.lookup, &daemon::IpNameLookupService::ResolveAddresses,
                        "lookup.ResolveAddresses", request);
    // Wait for this lookup, so that the next call starts with the pool idle.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (call.finishes == 0) {
      require(std::chrono::steady_clock::now() < deadline, "a lookup never finished");
      d_.io.run_one_for(std::chrono::milliseconds(1));
    }
    if (call.response.lookup_error() == v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE ||
        call.response.error() != v1::ERROR_CODE_UNSPECIFIED) {
      require(fuzz::lookups_done() == lookups_before, "a refused lookup reached getaddrinfo");
    }
  }

  void network(Side& side) {
    if (in_.ConsumeBool()) {
      auto& call = invoke(side, d_.network, &daemon::NetworkService::InstanceNetwork,
                          "network.InstanceNetwork", v1::InstanceNetworkRequest{});
      require(call.response.network_id() == side.network_id, "the network id changed");
      return;
    }
    v1::DropNetworkRequest request;
    request.set_network_id(network_id(side));
    auto& call = invoke(side, d_.network, &daemon::NetworkService::DropNetwork,
                        "network.DropNetwork", request);
    const bool dropped = call.response.error() == v1::ERROR_CODE_UNSPECIFIED;
    require(dropped == (request.network_id() == side.network_id),
            "DropNetwork answered for a network that is not this session's");
    if (!dropped) return;
    // A dropped network is unknown from then on: the next InstanceNetwork makes a new one, never
    // an id given before. The old id stays in `issued` and is sent again by network_id().
    auto& again = invoke(side, d_.network, &daemon::NetworkService::InstanceNetwork,
                         "network.InstanceNetwork", v1::InstanceNetworkRequest{});
    const std::uint64_t renewed = again.response.network_id();
    require(renewed != 0 && !side.issued.contains(renewed) && !other(side).issued.contains(renewed),
            "InstanceNetwork after DropNetwork reused an id");
    side.network_id = renewed;
    side.issued.insert(renewed);
  }

  // ---- the Attach stream ----
  template <class Work>
  void on_strand(Side& side, Work work) {
    run_pending();
    if (!side.session->strand().run_now_if_idle(work)) {
      violated("the session's sequence was busy between calls");
    }
  }
  void attach(Side& side) {
    on_strand(side, [&] {
      const bool attached = side.session->attach(side.sink);
      require(attached != side.attached, "a second Attach was accepted, or the first refused");
      side.attached = true;
    });
  }
  void frame(Side& side) {
    v1::ClientFrame frame;
    bool names_own_id = false;
    const int items = in_.ConsumeIntegralInRange(1, 3);
    for (int i = 0; i < items; ++i) {
      const std::uint64_t socket = id(side, side.tcp, side.udp);
      names_own_id = names_own_id || side.issued.contains(socket);
      v1::ClientItem* item = frame.add_items();
      if (in_.ConsumeBool()) {
        v1::TcpWrite* write = item->mutable_tcp_write();
        write->set_socket_id(socket);
        const std::size_t size = in_.ConsumeIntegralInRange(0, 31) == 0
                                     ? (1u << 20) + 1
                                     : in_.ConsumeIntegralInRange(0, 512);
        write->set_data(std::string(size, 'w'));
      } else {
        v1::ReadCredit* credit = item->mutable_read_credit();
        credit->set_socket_id(socket);
        credit->set_bytes(option_value());
      }
    }
    serving = side.who;
    fuzz::start_recording();
    on_strand(side, [&] { daemon::apply_client_frame(*side.session, frame); });
    last_events_ = fuzz::stop_recording();
    serving = Who::either;
    if (!names_own_id)
      require(last_events_.empty(), "a frame naming foreign ids made a system call");
  }

  // Every id in a frame the session sent is one it was given.
  void check_frames(Side& side) {
    for (const v1::ServerFrame& frame : side.sink.take()) {
      for (const v1::ServerItem& item : frame.items()) {
        std::uint64_t id = 0;
        switch (item.item_case()) {
          case v1::ServerItem::kOpened:
            id = item.opened().network_id();
            break;
          case v1::ServerItem::kReadiness:
            id = item.readiness().resource_id();
            break;
          case v1::ServerItem::kTcpData:
            id = item.tcp_data().socket_id();
            break;
          case v1::ServerItem::kWriteAck:
            id = item.write_ack().socket_id();
            break;
          case v1::ServerItem::kStreamEnd:
            id = item.stream_end().socket_id();
            break;
          default:
            violated("an empty item on the Attach stream");
        }
        require(side.issued.contains(id), "a frame carried an id the session was never given");
      }
    }
  }

  bool all_finished() const {
    for (const auto& call : calls_) {
      if (call->finishes == 0) return false;
    }
    return true;
  }

  Daemon& d_;
  FuzzedDataProvider& in_;
  Side alpha_, beta_;
  std::deque<std::unique_ptr<Call>> calls_;
  std::vector<fuzz::SyscallEvent> last_events_;
  std::uint64_t generation_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  the_daemon();
  install_checks();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Daemon& daemon = the_daemon();
  const std::map<int, std::string> fds_before = open_fds();
  {
    FuzzedDataProvider input(data, size);
    Run run(daemon, input);
    for (int steps = 0; steps < 64 && input.remaining_bytes() > 0; ++steps) run.step();
    run.finish();
  }
  // Sockets alpha dropped with a linger wait for their FIN on the io_context's timers; every peer
  // is one of the sessions' sockets, closed by now, so that ends at the next check (<= 50 ms).
  // The bound of a lingering drop (10 s flush + 10 s linger) is the limit of the wait.
  std::map<int, std::string> fds_after = open_fds();
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(21);
  while (fds_after != fds_before && std::chrono::steady_clock::now() < limit) {
    daemon.io.restart();
    daemon.io.run_for(std::chrono::milliseconds(5));
    fds_after = open_fds();
  }
  if (fds_after != fds_before) {
    for (const auto& [fd, what] : fds_after) {
      if (!fds_before.contains(fd)) std::fprintf(stderr, "fd %d left open: %s\n", fd, what.c_str());
    }
    violated("file descriptors were not given back");
  }
  return 0;
}
