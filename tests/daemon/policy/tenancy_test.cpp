// Admission of client connections, SIGHUP-style reload (atomic; a bad file keeps the old
// policy), and what live sessions see after a reload.
#include "policy/tenancy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "audit_capture.h"
#include "policy/session_policy.h"

namespace wasi_socketd::policy {
namespace {

using sockets::Protocol;
using sockets::Use;

sockets::SocketAddress at(const char* ip, uint16_t port) {
  return {boost::asio::ip::make_address(ip), port};
}

class TenancyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("tenancy-" + std::to_string(::getpid()) + ".toml");
    write(R"(
[[tenant]]
name = "web"
uids = [1000]
[tenant.quotas]
sessions = 2
[tenant.tcp]
[[tenant.tcp.connect]]
addresses = ["10.0.0.0/8"]
)");
    auto created = Tenancy::create(path_, 0, audit_.log());
    ASSERT_TRUE(created.tenancy) << created.error->to_string();
    tenancy_ = created.tenancy;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  void write(const std::string& text) { std::ofstream(path_) << text; }

  AuditCapture audit_;
  std::filesystem::path path_;
  std::shared_ptr<Tenancy> tenancy_;
};

TEST_F(TenancyTest, UnknownPeerIsRefusedAndAudited) {
  const Admission admission = tenancy_->admit({2000, 2000, 99, "main"});
  EXPECT_FALSE(admission.session);
  EXPECT_EQ(admission.refusal, "unknown-peer");
  const std::string line = audit_.last();
  EXPECT_TRUE(has(line, "\"tenant\":\"\",\"uid\":2000,\"gid\":2000,\"pid\":99")) << line;
  EXPECT_TRUE(
      has(line, "\"operation\":\"session.open\",\"name\":\"main\",\"rule\":\"unknown-peer\""))
      << line;
}

TEST_F(TenancyTest, SessionQuotaRefusesTheThirdAndFreesOnClose) {
  auto a = tenancy_->admit({1000, 1, 1, "main"}).session;
  auto b = tenancy_->admit({1000, 1, 2, "main"}).session;
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  const Admission c = tenancy_->admit({1000, 1, 3, "main"});
  EXPECT_FALSE(c.session);
  EXPECT_EQ(c.refusal, "quota.sessions");
  a.reset();  // that client disconnected
  EXPECT_TRUE(tenancy_->admit({1000, 1, 3, "main"}).session);
}

TEST_F(TenancyTest, ReloadAppliesToLiveSessions) {
  auto session = tenancy_->admit({1000, 1, 1, "main"}).session;
  ASSERT_TRUE(session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
  write(R"(
[[tenant]]
name = "web"
uids = [1000]
[tenant.tcp]
[[tenant.tcp.connect]]
addresses = ["192.0.2.0/24"]
)");
  ASSERT_FALSE(tenancy_->reload());
  EXPECT_FALSE(session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
  EXPECT_TRUE(session->allows(Protocol::tcp, Use::connect, at("192.0.2.1", 80)));
}

TEST_F(TenancyTest, BadFileOnReloadKeepsTheOldPolicyAndSaysWhere) {
  const auto before = tenancy_->policy();
  write(
      "[[tenant]]\nname = \"web\"\n[tenant.tcp]\n[[tenant.tcp.connect]]\naddresses = "
      "[\"10.0.0.0/99\"]\n");
  const auto error = tenancy_->reload();
  ASSERT_TRUE(error);
  EXPECT_EQ(error->file, path_.string());
  EXPECT_EQ(error->line, 5u);
  EXPECT_EQ(error->column, 14u);
  EXPECT_EQ(tenancy_->policy(), before);
  auto session = tenancy_->admit({1000, 1, 1, "main"}).session;
  EXPECT_TRUE(session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
}

TEST_F(TenancyTest, ReloadAppliesNewQuotasToLiveSessions) {
  auto session = tenancy_->admit({1000, 1, 1, "main"}).session;
  ASSERT_TRUE(session);
  write("[[tenant]]\nname = \"web\"\nuids = [1000]\n[tenant.tcp]\n[tenant.quotas]\nsockets = 1\n");
  ASSERT_FALSE(tenancy_->reload());
  auto first = session->open_socket(Protocol::tcp);
  ASSERT_TRUE(first.ok());
  auto second = session->open_socket(Protocol::tcp);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), sockets::ErrorCode::new_socket_limit);
}

TEST_F(TenancyTest, TenantRemovedByReloadIsDeniedEverything) {
  auto session = tenancy_->admit({1000, 1, 1, "main"}).session;
  write("[[tenant]]\nname = \"other\"\n");
  ASSERT_FALSE(tenancy_->reload());
  EXPECT_FALSE(session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
  EXPECT_TRUE(has(audit_.last(), "\"rule\":\"tenant-removed\""));
  EXPECT_FALSE(session->open_socket(Protocol::tcp).ok());
}

TEST(TenancyDefault, NoPolicyFileMeansTheLoopbackDefaultForTheOwner) {
  AuditCapture audit;
  auto tenancy = Tenancy::create("", 4321, audit.log()).tenancy;
  ASSERT_TRUE(tenancy);
  EXPECT_EQ(tenancy->policy()->source, "(default)");
  EXPECT_FALSE(tenancy->reload());  // nothing to re-read; keeps the default
  auto session = tenancy->admit({4321, 1, 1, "main"}).session;
  ASSERT_TRUE(session);
  EXPECT_EQ(session->tenant_name(), "default");
  EXPECT_TRUE(session->allows(Protocol::tcp, Use::connect, at("127.0.0.1", 80)));
  EXPECT_FALSE(session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
  EXPECT_FALSE(tenancy->admit({4322, 1, 1, "main"}).session);
}

TEST(TenancyCreate, BadAuditDestinationIsAnError) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("tenancy-audit-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[audit]\ndestination = \"/nonexistent-dir/a.log\"\n";
  const auto created = Tenancy::create(path, 0);
  std::filesystem::remove(path);
  EXPECT_FALSE(created.tenancy);
  ASSERT_TRUE(created.error);
  EXPECT_NE(created.error->message.find("/nonexistent-dir/a.log"), std::string::npos);
}

}  // namespace
}  // namespace wasi_socketd::policy
