// wasi-socketctl against a live daemon: every subcommand, as an operator would run it.
#include <grpcpp/create_channel.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "http_get.h"
#include "loopback_listener.h"
#include "temp_directory.h"
#include "test_client.h"
#include "wasi_socketd/v1/session.grpc.pb.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

struct CtlResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CtlResult socketctl(const std::string& admin_socket, const std::string& args) {
  const std::string command =
      std::string(WASI_SOCKETCTL_BINARY) + " --admin-socket " + admin_socket + " " + args + " 2>&1";
  CtlResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    result.output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SocketctlTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.manager().wait_for("READY=1", 10s)); }

  // A client connection with one bound TCP socket, as a tenant would hold it.
  struct Client {
    std::shared_ptr<grpc::Channel> channel;
    grpc::ClientContext attach_context;
    std::unique_ptr<grpc::ClientReaderWriter<v1::ClientFrame, v1::ServerFrame>> attach;
    std::uint64_t socket_id = 0;
    std::uint64_t network_id = 0;
    ~Client() { attach_context.TryCancel(); }
  };
  std::unique_ptr<Client> connect_client_with_socket() {
    auto client = std::make_unique<Client>();
    client->channel = grpc::CreateChannel(daemon_.target(), grpc::InsecureChannelCredentials());
    client->attach = v1::Session::NewStub(client->channel)->Attach(&client->attach_context);
    v1::ServerFrame opened;
    EXPECT_TRUE(client->attach->Read(&opened));
    if (opened.items_size() > 0) client->network_id = opened.items(0).opened().network_id();
    grpc::ClientContext create_context;
    v1::CreateTcpSocketRequest create;
    create.set_family(v1::IP_ADDRESS_FAMILY_IPV4);
    v1::CreateTcpSocketResponse created;
    EXPECT_TRUE(v1::TcpCreateSocket::NewStub(client->channel)
                    ->CreateTcpSocket(&create_context, create, &created)
                    .ok());
    client->socket_id = created.socket_id();
    return client;
  }

  DaemonProcess daemon_{DaemonOptions{.supervised = true}};
};

TEST_F(SocketctlTest, StatusShowsListenerAdminSocketAndCounts) {
  const auto client = connect_client_with_socket();
  const auto result = socketctl(daemon_.admin_socket_path(), "status");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "running")) << result.output;
  EXPECT_TRUE(contains(result.output, daemon_.listen_path())) << result.output;
  EXPECT_TRUE(contains(result.output, "pid:")) << result.output;
  EXPECT_TRUE(std::regex_search(result.output, std::regex("\nsessions: +1\n"))) << result.output;
  EXPECT_TRUE(std::regex_search(result.output, std::regex("\nsockets: +1\n"))) << result.output;
}

TEST_F(SocketctlTest, SessionsListsTheClientWithItsKernelCredentials) {
  const auto client = connect_client_with_socket();
  const auto result = socketctl(daemon_.admin_socket_path(), "--json sessions");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "\"pid\": " + std::to_string(::getpid()))) << result.output;
  EXPECT_TRUE(contains(result.output, "\"uid\": " + std::to_string(::getuid()))) << result.output;
  EXPECT_TRUE(contains(result.output, "\"sockets\": \"1\"")) << result.output;
}

TEST_F(SocketctlTest, GlobalFlagsAlsoWorkAfterTheSubcommand) {
  const auto client = connect_client_with_socket();
  const auto result = socketctl(daemon_.admin_socket_path(), "sessions --json --timeout 5");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "\"listener\": \"main\"")) << result.output;
  const auto reload = socketctl(daemon_.admin_socket_path(), "policy reload --json");
  EXPECT_NE(reload.exit_code, 2) << reload.output;
}

TEST_F(SocketctlTest, SessionsShowTheListenerAndWhenTheSessionOpened) {
  const auto client = connect_client_with_socket();
  const auto result = socketctl(daemon_.admin_socket_path(), "--json sessions");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "\"listener\": \"main\"")) << result.output;
  std::smatch opened;
  ASSERT_TRUE(std::regex_search(result.output, opened,
                                std::regex("\"opened_at_unix_seconds\": \"([0-9]+)\"")))
      << result.output;
  EXPECT_LE(std::abs(std::stoll(opened[1]) - static_cast<long long>(std::time(nullptr))), 60)
      << result.output;
  const auto table = socketctl(daemon_.admin_socket_path(), "sessions");
  EXPECT_TRUE(std::regex_search(table.output, std::regex("TENANT +LISTENER"))) << table.output;
  EXPECT_FALSE(contains(table.output, "1970-01-01")) << table.output;
}

TEST_F(SocketctlTest, AcceptedSocketsCountAsCreatedAndWouldBlockIsNoError) {
  TestClient client(daemon_.target());
  ASSERT_TRUE(client.attach());
  std::uint32_t port = 0;
  const std::uint64_t listener = client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
  v1::TcpSocketRequest accept;
  accept.set_socket_id(listener);
  // Nothing to accept yet: would-block, the normal answer of a non-blocking accept.
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Accept, accept).error(),
            v1::ERROR_CODE_WOULD_BLOCK);
  const int peer = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  ASSERT_EQ(::connect(peer, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  v1::ErrorCode accepted = v1::ERROR_CODE_WOULD_BLOCK;
  for (int i = 0; i < 500 && accepted == v1::ERROR_CODE_WOULD_BLOCK; ++i) {
    accepted = client.call(client.tcp(), &v1::Tcp::Stub::Accept, accept).error();
    if (accepted == v1::ERROR_CODE_WOULD_BLOCK) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(accepted, v1::ERROR_CODE_UNSPECIFIED);
  ::close(peer);

  const auto stats = socketctl(daemon_.admin_socket_path(), "stats");
  EXPECT_TRUE(contains(
      stats.output, "wasi_socketd_sockets_created_total{tenant=\"default\",protocol=\"tcp\"} 2\n"))
      << "the listener and the accepted connection\n"
      << stats.output;
  EXPECT_FALSE(contains(stats.output, "code=\"would-block\"")) << stats.output;
  EXPECT_TRUE(std::regex_search(
      stats.output, std::regex("wasi_socketd_retries_total\\{tenant=\"default\"\\} [1-9]")))
      << stats.output;
}

TEST_F(SocketctlTest, SocketsListsEachSocketAndFiltersByTenant) {
  const auto client = connect_client_with_socket();
  const auto all = socketctl(daemon_.admin_socket_path(), "sockets");
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_TRUE(contains(all.output, std::to_string(client->socket_id))) << all.output;
  EXPECT_TRUE(contains(all.output, "tcp")) << all.output;
  EXPECT_TRUE(contains(all.output, "unbound")) << all.output;
  const auto other = socketctl(daemon_.admin_socket_path(), "sockets --tenant no-such-tenant");
  ASSERT_EQ(other.exit_code, 0) << other.output;
  EXPECT_FALSE(contains(other.output, std::to_string(client->socket_id))) << other.output;
}

TEST_F(SocketctlTest, StatsShowsSessionAndSocketMetrics) {
  const auto client = connect_client_with_socket();
  const auto result = socketctl(daemon_.admin_socket_path(), "stats");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "wasi_socketd_sessions{tenant=")) << result.output;
  EXPECT_TRUE(contains(result.output, "wasi_socketd_sockets{tenant=")) << result.output;
  EXPECT_TRUE(contains(result.output, "wasi_socketd_sockets_created_total{")) << result.output;
  EXPECT_FALSE(contains(result.output, "# TYPE")) << "stats prints samples only";
  const auto raw = socketctl(daemon_.admin_socket_path(), "stats --raw");
  EXPECT_TRUE(contains(raw.output, "# TYPE wasi_socketd_sessions gauge")) << raw.output;
}

TEST_F(SocketctlTest, PolicyCheckAcceptsAGoodFileAndPointsAtTheErrorInABadOne) {
  const std::string good = daemon_.directory() + "/good.toml";
  const std::string bad = daemon_.directory() + "/bad.toml";
  std::ofstream(good) << "[[tenant]]\nname = \"alpha\"\n";
  std::ofstream(bad) << "[[tenant]]\nname = \"alpha\"\nbogus_key = 1\n";
  const auto accepted = socketctl(daemon_.admin_socket_path(), "policy check " + good);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  const auto rejected = socketctl(daemon_.admin_socket_path(), "policy check " + bad);
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
  EXPECT_TRUE(contains(rejected.output, bad + ":3:")) << rejected.output;
}

TEST_F(SocketctlTest, PolicyReloadAnswersWithThePolicyInForce) {
  const auto result = socketctl(daemon_.admin_socket_path(), "policy reload");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "policy:")) << result.output;
}

TEST_F(SocketctlTest, DenialsAndErrorsAreCountedPerTenant) {
  const auto client = connect_client_with_socket();
  // The default policy admits loopback peers only: a documentation address is denied.
  grpc::ClientContext context;
  v1::TcpStartConnectRequest connect;
  connect.set_socket_id(client->socket_id);
  connect.set_network_id(client->network_id);
  auto* remote = connect.mutable_remote_address();
  remote->mutable_address()->set_family(v1::IP_ADDRESS_FAMILY_IPV4);
  remote->mutable_address()->set_octets(std::string("\xc0\x00\x02\x01", 4));
  remote->set_port(80);
  v1::TcpSocketStatus status;
  ASSERT_TRUE(v1::Tcp::NewStub(client->channel)->StartConnect(&context, connect, &status).ok());
  ASSERT_EQ(status.error(), v1::ERROR_CODE_ACCESS_DENIED);

  const auto stats = socketctl(daemon_.admin_socket_path(), "stats");
  EXPECT_TRUE(
      std::regex_search(stats.output, std::regex("wasi_socketd_denials_total\\{tenant=\"default\","
                                                 "operation=\"tcp.connect\",rule=\"default-"
                                                 "deny\"\\} 1\n")))
      << stats.output;
  EXPECT_TRUE(contains(stats.output, "code=\"access-denied\"} 1\n")) << stats.output;
}

TEST(SocketctlPolicyFileTest, RejectedReloadKeepsThePolicyAndAcceptedOneCountsAGeneration) {
  const testing::TempDirectory directory("socketctl-policy");
  const std::string policy = directory.file("policy.toml");
  std::ofstream(policy) << "[[tenant]]\nname = \"alpha\"\n";
  DaemonProcess daemon(DaemonOptions{.policy_path = policy, .supervised = true});
  ASSERT_TRUE(daemon.manager().wait_for("READY=1", 10s));

  std::ofstream(policy) << "[[tenant]]\nname = \"alpha\"\nbogus_key = 1\n";
  const auto rejected = socketctl(daemon.admin_socket_path(), "policy reload");
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
  EXPECT_TRUE(contains(rejected.output, policy + ":3:")) << rejected.output;
  EXPECT_TRUE(daemon.manager().wait_for("READY=1", 5s)) << "a rejected reload still ends READY=1";
  const auto unchanged = socketctl(daemon.admin_socket_path(), "status");
  EXPECT_TRUE(std::regex_search(unchanged.output, std::regex("\ngeneration: +1\n")))
      << unchanged.output;
  EXPECT_TRUE(std::regex_search(unchanged.output, std::regex("\ntenants: +alpha\n")))
      << unchanged.output;

  std::ofstream(policy) << "[[tenant]]\nname = \"beta\"\n";
  const auto accepted = socketctl(daemon.admin_socket_path(), "policy reload");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  EXPECT_TRUE(std::regex_search(accepted.output, std::regex("\ngeneration: +2\n")))
      << accepted.output;
  EXPECT_TRUE(contains(accepted.output, "beta")) << accepted.output;
  const auto stats = socketctl(daemon.admin_socket_path(), "stats");
  EXPECT_TRUE(contains(stats.output, "wasi_socketd_policy_reloads_total{result=\"rejected\"} 1"))
      << stats.output;
}

TEST_F(SocketctlTest, UnreachableDaemonExitsWithThree) {
  const auto result = socketctl(daemon_.directory() + "/nothing.sock", "--timeout 2 status");
  EXPECT_EQ(result.exit_code, 3) << result.output;
  EXPECT_TRUE(contains(result.output, "cannot reach wasi-socketd")) << result.output;
}

TEST_F(SocketctlTest, MetricsOverLoopbackHttpWhenConfigured) {
  DaemonProcess with_http(
      DaemonOptions{.extra_args = {"--metrics-http", "127.0.0.1:0"}, .supervised = true});
  ASSERT_TRUE(with_http.manager().wait_for("READY=1", 10s));
  const auto status = socketctl(with_http.admin_socket_path(), "--json status");
  const auto at = status.output.find("\"metrics_http\": \"127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << status.output;
  const auto address = status.output.substr(at + 17, status.output.find('"', at + 17) - at - 17);
  const auto port = address.substr(address.rfind(':') + 1);
  const auto reply =
      http_exchange(static_cast<unsigned short>(std::stoi(port)), "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_TRUE(contains(reply, "200 OK")) << reply;
  EXPECT_TRUE(contains(reply, "wasi_socketd_start_time_seconds")) << reply;
}

// Issue 13 item 3, end to end: a report-mode tenant without a single rule does its work while the
// daemon audits every refusal as would-deny; `policy suggest` turns that log into rules; a daemon
// enforcing those rules lets the same operations through and denies nothing.
TEST(SocketctlPolicySuggestTest, SuggestedRulesAllowAReplayOfTheReportedRun) {
  const testing::TempDirectory directory("socketctl-suggest");
  const std::string reported_log = directory.file("reported.log");
  const std::string enforced_log = directory.file("enforced.log");
  LoopbackListener peer;  // what the tenant connects to, the same port in both runs
  const std::uint16_t listen_port = [] {
    LoopbackListener probe;  // a free port for the tenant's own listener, released at once
    return probe.port();
  }();

  // Every operation's error (UNSPECIFIED: done).
  const auto work = [&](const std::string& target) {
    TestClient client(target);
    std::vector<v1::ErrorCode> errors(3, v1::ERROR_CODE_UNSPECIFIED);
    const std::uint64_t outgoing = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &errors[0]);
    errors.push_back(
        client.tcp_connect_polling(outgoing, loopback(v1::IP_ADDRESS_FAMILY_IPV4, peer.port())));
    const std::uint64_t server = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &errors[1]);
    errors.push_back(client.tcp_bind(server, loopback(v1::IP_ADDRESS_FAMILY_IPV4, listen_port)));
    v1::TcpSocketRequest listen;
    listen.set_socket_id(server);
    errors.push_back(client.call(client.tcp(), &v1::Tcp::Stub::StartListen, listen).error());
    errors.push_back(client.call(client.tcp(), &v1::Tcp::Stub::FinishListen, listen).error());
    const v1::ResolveAddressesResponse lookup = client.resolve("localhost");
    errors.push_back(lookup.error() != v1::ERROR_CODE_UNSPECIFIED ? lookup.error()
                                                                  : lookup.lookup_error());
    client.create_udp(v1::IP_ADDRESS_FAMILY_IPV4, &errors[2]);
    return errors;
  };
  const std::vector<v1::ErrorCode> all_done(8, v1::ERROR_CODE_UNSPECIFIED);

  const std::string reported = directory.file("reported.toml");
  std::ofstream(reported) << "[audit]\ndestination = \"" << reported_log
                          << "\"\n[[tenant]]\nname = \"learn\"\nmode = \"report\"\n";
  {
    DaemonProcess daemon({"--policy", reported});
    EXPECT_EQ(work(daemon.target()), all_done) << "report mode denies nothing";
  }
  std::ifstream log_in(reported_log);
  const std::string log((std::istreambuf_iterator<char>(log_in)), {});
  EXPECT_TRUE(contains(log, "\"operation\":\"tcp.connect\"")) << log;
  EXPECT_TRUE(contains(log, "\"outcome\":\"would-deny\"")) << log;
  EXPECT_FALSE(contains(log, "\"outcome\":\"deny\"")) << log;

  const auto suggested =
      socketctl("/nonexistent", "policy suggest --audit " + reported_log + " --tenant learn");
  ASSERT_EQ(suggested.exit_code, 0) << suggested.output;
  EXPECT_FALSE(contains(suggested.output, "mode")) << suggested.output;
  const std::string enforced = directory.file("enforced.toml");
  std::ofstream(enforced) << "[audit]\ndestination = \"" << enforced_log << "\"\n"
                          << suggested.output;
  {
    DaemonProcess daemon({"--policy", enforced});
    EXPECT_EQ(work(daemon.target()), all_done) << suggested.output;
  }
  std::ifstream enforced_in(enforced_log);
  const std::string denials((std::istreambuf_iterator<char>(enforced_in)), {});
  EXPECT_FALSE(contains(denials, "deny")) << denials << "\n" << suggested.output;
}

}  // namespace
}  // namespace wasi_socketd::testing
