#include "audit/json_line.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace wasi_socketd::audit {
namespace {

// nlohmann-json's escaping: short escapes where JSON has them, \u00XX for other control bytes.
TEST(JsonLine, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(json_escape("a\"b\\c\nd\x01\x7f"), "a\\\"b\\\\c\\nd\\u0001\x7f");
}

// Valid UTF-8 passes through; each invalid sequence becomes U+FFFD, written as UTF-8.
TEST(JsonLine, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(json_escape("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(json_escape("bad\xff\xc3"), "bad\xef\xbf\xbd\xef\xbf\xbd");
}

// Whatever bytes a tenant puts into a name, the line is one JSON object that a reader parses back.
TEST(JsonLine, HostileNamesStillGiveOneParsableLine) {
  AuditEvent event;
  event.tenant = "t\"}\n{\"x";
  event.operation = "name_lookup";
  event.name = std::string("\xc0\xaf\xed\xa0\x80\0\r\n", 8);
  const std::string line = to_json_line(event);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed.at("tenant"), event.tenant);
  EXPECT_EQ(parsed.at("operation"), "name_lookup");
}

// A report-mode tenant's denial (issue 13 item 3).
TEST(JsonLine, OutcomeSpellsEachDecision) {
  AuditEvent event;
  event.outcome = Outcome::would_deny;
  EXPECT_EQ(nlohmann::json::parse(to_json_line(event)).at("outcome"), "would-deny");
  event.outcome = Outcome::deny;
  EXPECT_EQ(nlohmann::json::parse(to_json_line(event)).at("outcome"), "deny");
  event.outcome = Outcome::allow;
  EXPECT_EQ(nlohmann::json::parse(to_json_line(event)).at("outcome"), "allow");
}

TEST(JsonLine, HasEveryFieldOfADecision) {
  AuditEvent event;
  event.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
  event.tenant = "web";
  event.uid = 1001;
  event.gid = 1002;
  event.pid = 42;
  event.operation = "tcp.connect";
  event.address = "10.0.0.1:80";
  event.rule = "web.tcp.connect[0]";
  event.outcome = Outcome::deny;
  EXPECT_EQ(to_json_line(event),
            "{\"time\":\"2023-11-14T22:13:20.123Z\",\"tenant\":\"web\",\"uid\":1001,\"gid\":1002,"
            "\"pid\":42,\"operation\":\"tcp.connect\",\"address\":\"10.0.0.1:80\","
            "\"rule\":\"web.tcp.connect[0]\",\"outcome\":\"deny\"}");
}

TEST(JsonLine, NamesAndSuppressedCountsAppearOnlyWhenSet) {
  AuditEvent event;
  event.operation = "name_lookup";
  event.name = "example.com";
  event.outcome = Outcome::allow;
  event.suppressed = 7;
  const std::string line = to_json_line(event);
  EXPECT_NE(line.find("\"name\":\"example.com\""), std::string::npos);
  EXPECT_EQ(line.find("\"address\""), std::string::npos);
  EXPECT_NE(line.find("\"outcome\":\"allow\",\"suppressed\":7}"), std::string::npos);
}

}  // namespace
}  // namespace wasi_socketd::audit
