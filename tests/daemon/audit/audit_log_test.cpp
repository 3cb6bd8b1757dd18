#include "audit/audit_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

namespace wasi_socketd::audit {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        std::filesystem::temp_directory_path() / ("audit-" + std::to_string(::getpid()) + ".log");
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  std::filesystem::path path_;
};

TEST_F(AuditLogTest, AppendsOneLinePerEventToAFile) {
  std::string error;
  auto log = AuditLog::to_file(path_, error);
  ASSERT_TRUE(log) << error;
  AuditEvent event;
  event.operation = "tcp.bind";
  log->record(event);
  event.operation = "udp.send";
  log->record(event);
  log->flush();
  const auto written = lines();
  ASSERT_EQ(written.size(), 2u);
  EXPECT_NE(written[0].find("\"operation\":\"tcp.bind\""), std::string::npos);
  EXPECT_NE(written[1].find("\"operation\":\"udp.send\""), std::string::npos);
  EXPECT_EQ(log->recorded(), 2u);
  EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuditLogTest, LinesFromManyThreadsNeverInterleave) {
  std::string error;
  auto log = AuditLog::to_file(path_, error);
  ASSERT_TRUE(log) << error;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&log, t] {
      AuditEvent event;
      event.tenant = std::string(200, static_cast<char>('a' + t));
      for (int i = 0; i < 250; ++i) log->record(event);
    });
  }
  for (auto& thread : threads) thread.join();
  log->flush();
  const auto written = lines();
  ASSERT_EQ(written.size(), 2000u);
  for (const auto& line : written) {
    ASSERT_EQ(line.front(), '{');
    ASSERT_EQ(line.back(), '}');
  }
}

TEST_F(AuditLogTest, UnwritableFileIsAnErrorNotACrash) {
  std::string error;
  EXPECT_FALSE(AuditLog::to_file("/nonexistent-dir/audit.log", error));
  EXPECT_NE(error.find("/nonexistent-dir/audit.log"), std::string::npos);
}

TEST_F(AuditLogTest, DiscardWritesNothing) {
  auto log = AuditLog::discard();
  log->record(AuditEvent{});
  EXPECT_EQ(log->recorded(), 0u);
}

}  // namespace
}  // namespace wasi_socketd::audit
