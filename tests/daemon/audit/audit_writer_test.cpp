// The audit log's writer thread: order, a sink that blocks, drops counted and reported, shutdown.
#include "audit/audit_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"

namespace wasi_socketd::audit {
namespace {

using namespace std::chrono_literals;

std::filesystem::path temp_path(const std::string& what) {
  static std::atomic<int> counter{0};
  auto path =
      std::filesystem::temp_directory_path() /
      ("audit-writer-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove(path);
  return path;
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has(const std::string& line, const std::string& fragment) {
  return line.find(fragment) != std::string::npos;
}

// Ten tenants: the rate limit (burst 1000 each) admits more than the queue holds.
AuditEvent numbered(int i) {
  AuditEvent event;
  event.tenant = "t" + std::to_string(i % 10);
  event.operation = "tcp.connect";
  event.name = "n" + std::to_string(i);
  return event;
}

TEST(AuditWriter, LinesArriveInTheOrderTheyWereRecorded) {
  const auto path = temp_path("order");
  std::string error;
  auto log = AuditLog::to_file(path, error);
  ASSERT_TRUE(log) << error;
  constexpr int kLines = 3000;  // under the queue bound: none may be dropped
  for (int i = 0; i < kLines; ++i) log->record(numbered(i));
  log->flush();
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_TRUE(has(lines[i], "\"name\":\"n" + std::to_string(i) + "\"")) << i << ": " << lines[i];
  }
  EXPECT_EQ(log->queue_dropped(), 0u);
  std::filesystem::remove(path);
}

// The log file is a FIFO whose pipe buffer is full and that nobody reads yet: the writer thread
// blocks in write(), and record() must neither block nor grow without bound.
TEST(AuditWriter, ASinkThatBlocksNeverBlocksRecordAndDropsAreCountedAndReported) {
  const auto path = temp_path("fifo");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0) << std::strerror(errno);
  const int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  std::string error;
  auto log = AuditLog::to_file(path, error);
  ASSERT_TRUE(log) << error;
  // Fill the pipe through a second, non-blocking writer.
  const int filler = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(filler, 0);
  const std::string junk(4096, 'x');
  std::size_t filled = 0;
  for (;;) {
    const ssize_t n = ::write(filler, junk.data(), junk.size());
    if (n <= 0) break;
    filled += static_cast<std::size_t>(n);
  }
  ::close(filler);

  // One line the writer takes and blocks on, then more than the queue holds.
  constexpr std::size_t kExtra = 50;
  const std::size_t flood = AuditWriter::kQueueBound + kExtra;
  std::atomic<bool> done{false};
  std::thread recorder([&] {
    log->record(numbered(0));
    std::this_thread::sleep_for(200ms);
    for (std::size_t i = 1; i <= flood; ++i) log->record(numbered(static_cast<int>(i)));
    done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(done) << "record() waited for a blocked audit sink";

  // Now read the pipe: everything queued comes out, then the report of the gap.
  std::string received;
  std::atomic<bool> flushed{false};
  std::thread drain([&] {
    char buffer[65536];
    for (;;) {
      const bool was_flushed = flushed;  // before the read: then an empty pipe means done
      const ssize_t n = ::read(reader, buffer, sizeof buffer);
      if (n > 0) {
        received.append(buffer, static_cast<std::size_t>(n));
      } else if (was_flushed) {
        return;  // everything the writer wrote is in `received`
      } else {
        std::this_thread::sleep_for(1ms);
      }
    }
  });
  recorder.join();
  log->flush();
  flushed = true;
  drain.join();

  // The line blocked in write() may or may not have left the queue before the flood began.
  const std::uint64_t dropped = log->queue_dropped();
  EXPECT_GE(dropped, kExtra);
  EXPECT_LE(dropped, kExtra + 1);
  ASSERT_GT(received.size(), filled);
  std::vector<std::string> lines;
  std::size_t start = filled;
  for (std::size_t end; (end = received.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(received.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 1 + flood - dropped + 1);
  EXPECT_TRUE(has(lines.front(), "\"name\":\"n0\"")) << lines.front();
  EXPECT_TRUE(has(lines.back(), "\"operation\":\"audit.dropped\"")) << lines.back();
  EXPECT_TRUE(has(lines.back(), "\"suppressed\":" + std::to_string(dropped))) << lines.back();
  ::close(reader);
  std::filesystem::remove(path);
}

TEST(AuditWriter, ShutdownWritesEveryQueuedLine) {
  const auto path = temp_path("shutdown");
  std::string error;
  auto log = AuditLog::to_file(path, error);
  ASSERT_TRUE(log) << error;
  constexpr int kLines = 2000;
  for (int i = 0; i < kLines; ++i) log->record(numbered(i));
  log.reset();  // no flush(): the destructor must write what is queued
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kLines));
  EXPECT_TRUE(has(lines.back(), "\"name\":\"n" + std::to_string(kLines - 1) + "\""));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wasi_socketd::audit
