// wasi-socketd-attack-bench: the resource attacks of issue 8 (items 3, 4 and the idle-connection
// flood of 5) against the real daemon, with the daemon's RSS and fd count at baseline, at the peak
// of each attack and after the attacker left, as FIGURE lines. Not a timed test: the bounds these
// figures are compared with are documented in docs/SECURITY.md. Figures depend on the machine's
// load (printed with them); read them as indicative.
//
// Usage: wasi-socketd-attack-bench [--scale N]   (N multiplies the attack sizes; default 1)
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "daemon_process.h"
#include "loopback_peer.h"
#include "raw_http2.h"
#include "test_client.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::bench {
namespace {

using namespace std::chrono_literals;
using testing::DaemonProcess;
using Raw = testing::RawHttp2Connection;

// How long "after" waits: the daemon trims freed memory every 5 s (daemon/src/memory_trimmer.h).
constexpr auto kSettleTime = 12s;  // two trim intervals and more

void print_state(const DaemonProcess& daemon, const std::string& attack, const std::string& when) {
  print_figure(attack + "." + when + ".rss",
               static_cast<double>(daemon.resident_bytes()) / (1 << 20), "MiB");
  print_figure(attack + "." + when + ".fds", daemon.open_fd_count(), "fds");
}

// A fresh daemon for each attack: its state before, once it has settled.
void print_baseline(const DaemonProcess& daemon, const std::string& attack) {
  std::this_thread::sleep_for(500ms);
  print_state(daemon, attack, "baseline");
}

// Watches the daemon while `attack` runs; prints its peak.
class Peak {
 public:
  explicit Peak(const DaemonProcess& daemon) : daemon_(daemon) {}
  void sample() {
    rss_ = std::max(rss_, daemon_.resident_bytes());
    fds_ = std::max(fds_, daemon_.open_fd_count());
  }
  void print(const std::string& attack) const {
    print_figure(attack + ".peak.rss", static_cast<double>(rss_) / (1 << 20), "MiB");
    print_figure(attack + ".peak.fds", fds_, "fds");
  }

 private:
  const DaemonProcess& daemon_;
  long rss_ = 0;
  int fds_ = 0;
};

// The peak of an attack, then the daemon's state `settle` after the attacker left.
void report(const Peak& peak, const DaemonProcess& daemon, const std::string& attack,
            std::chrono::seconds settle) {
  peak.print(attack);
  std::this_thread::sleep_for(settle);
  print_state(daemon, attack, "after");
}

// Item 3: connections with an initial window of 0 that open calls and never send them. With
// `acknowledge`, they acknowledge the daemon's SETTINGS (the stream limit binds); without, gRPC
// 1.51 does not apply the limit and only its resource quota is left (docs/SECURITY.md).
void http2_streams(int scale, bool acknowledge) {
  const std::string attack = acknowledge ? "http2_streams_acked" : "http2_streams_unacked";
  const DaemonProcess daemon;
  print_baseline(daemon, attack);
  const int connections = 20 * scale;
  const int calls = 2500;
  Peak peak(daemon);
  {
    std::vector<std::unique_ptr<Raw>> attackers;
    for (int c = 0; c < connections; ++c) {
      auto raw = std::make_unique<Raw>(daemon.socket_path());
      raw->send_preface({{Raw::kInitialWindowSize, 0}});
      raw->read_for(20ms);
      if (acknowledge) raw->send_settings_ack();
      for (int i = 0; i < calls && raw->open_call("/wasi_socketd.v1.Network/InstanceNetwork");
           ++i) {
      }
      raw->read_for(20ms);
      peak.sample();
      attackers.push_back(std::move(raw));
    }
    for (int round = 0; round < 20; ++round) {
      for (auto& attacker : attackers) attacker->read_for(10ms);
      peak.sample();
    }
  }
  report(peak, daemon, attack, kSettleTime);
}

// Item 4: a client that never reads its Attach stream while it writes 1-byte items.
void event_backlog(int scale) {
  const DaemonProcess daemon;
  print_baseline(daemon, "event_backlog");
  Peak peak(daemon);
  {
    testing::LoopbackPeer far_end;
    testing::TestClient client(daemon.target());
    auto stub = v1::Session::NewStub(client.channel());
    grpc::ClientContext context;
    auto attach = stub->Attach(&context);
    const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
    client.tcp_connect_polling(socket,
                               testing::loopback(v1::IP_ADDRESS_FAMILY_IPV4, far_end.port()));
    const int sink = far_end.accept_one(5s);
    std::thread drain([&] { testing::drain_until_end(sink, std::chrono::milliseconds(60000)); });
    const auto until = Clock::now() + 5s * scale;
    v1::ClientFrame frame;
    v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
    write->set_socket_id(socket);
    write->set_data("x");
    for (int i = 0; Clock::now() < until && attach->Write(frame); ++i) {
      if (i % 1000 == 0) peak.sample();
    }
    peak.sample();
    context.TryCancel();
    (void)attach->Finish();
    ::shutdown(sink, SHUT_RDWR);
    drain.join();
  }
  report(peak, daemon, "event_backlog", kSettleTime);
}

// Item 5 (part): connections that never send a byte, past the attach deadline.
void idle_connections(int scale) {
  const DaemonProcess daemon;
  print_baseline(daemon, "idle_connections");
  Peak peak(daemon);
  std::vector<std::unique_ptr<Raw>> silent;
  for (int c = 0; c < 200 * scale; ++c) {
    silent.push_back(std::make_unique<Raw>(daemon.socket_path()));
  }
  std::this_thread::sleep_for(1s);
  peak.sample();
  peak.print("idle_connections");
  std::this_thread::sleep_for(kAttachDeadline + 2s);
  print_state(daemon, "idle_connections", "after_deadline");
  int closed = 0;
  for (auto& connection : silent) {
    connection->read_for(1ms);
    closed += connection->closed() ? 1 : 0;
  }
  print_figure("idle_connections.closed_by_daemon", closed, "connections");
}

}  // namespace
}  // namespace wasi_socketd::bench

int main(int argc, char** argv) {
  using namespace wasi_socketd::bench;
  int scale = 1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--scale") scale = std::max(1, std::atoi(argv[i + 1]));
  }
  std::printf("# load average %.2f at start (figures are indicative under load)\n", load_average());
  http2_streams(scale, true);
  http2_streams(scale, false);
  event_backlog(scale);
  idle_connections(scale);
  std::printf("# load average %.2f at end\n", load_average());
  return 0;
}
