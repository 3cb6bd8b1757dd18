#include "systemd/journal_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>

namespace wasi_socketd::systemd {
namespace {

std::string log_through(bool journal, spdlog::level::level_enum level) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("wasi-socketd", sink);
  logger.set_level(spdlog::level::trace);
  use_stderr_format(logger, journal);
  logger.log(level, "session opened tenant={}", "alpha");
  return out.str();
}

TEST(JournalLogTest, JournalLinesStartWithTheSyslogPriority) {
  EXPECT_EQ(log_through(true, spdlog::level::info),
            "<6>wasi-socketd: session opened tenant=alpha\n");
  EXPECT_EQ(log_through(true, spdlog::level::warn).substr(0, 3), "<4>");
  EXPECT_EQ(log_through(true, spdlog::level::err).substr(0, 3), "<3>");
  EXPECT_EQ(log_through(true, spdlog::level::debug).substr(0, 3), "<7>");
}

TEST(JournalLogTest, TerminalLinesCarryTimestampAndLevel) {
  const auto line = log_through(false, spdlog::level::warn);
  EXPECT_NE(line.find(" warning wasi-socketd: session opened tenant=alpha"), std::string::npos);
  EXPECT_EQ(line[4], '-');  // YYYY-MM-DD...
}

TEST(JournalLogTest, StderrIsTheJournalOnlyWhenJournalStreamNamesIt) {
  struct stat status {};
  ASSERT_EQ(::fstat(2, &status), 0);
  const auto matching = std::to_string(status.st_dev) + ":" + std::to_string(status.st_ino);
  ::setenv("JOURNAL_STREAM", matching.c_str(), 1);
  EXPECT_TRUE(stderr_is_journal());
  ::setenv("JOURNAL_STREAM", "1:1", 1);
  EXPECT_FALSE(stderr_is_journal());
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(stderr_is_journal());
}

}  // namespace
}  // namespace wasi_socketd::systemd
