#include "policy/unquoted_range.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

std::string found(std::string_view text, uint32_t line = 1) {
  const auto range = find_unquoted_range(text, line);
  return range ? std::to_string(range->column) + ":" + range->range : "none";
}

TEST(UnquotedRange, FindsABareRangeStandingAsAValue) {
  EXPECT_EQ(found("ports = [8090-8080]"), "10:8090-8080");
  EXPECT_EQ(found("ports = [443, 8080-8090 ]"), "15:8080-8090");
  EXPECT_EQ(found("ports = 1-9"), "9:1-9");
  EXPECT_EQ(found("a = 1\nports = [1-2]\n", 2), "10:1-2");
}

TEST(UnquotedRange, IgnoresQuotedTextCommentsAndOtherWords) {
  EXPECT_EQ(found("ports = [\"8090-8080\"]"), "none");
  EXPECT_EQ(found("name = 'a 1-2' # 3-4"), "none");
  EXPECT_EQ(found("name = \"say \\\"1-2\\\"\""), "none");
  EXPECT_EQ(found("when = 1979-05-27"), "none");  // a date: three parts
  EXPECT_EQ(found("x = a1-2"), "none");
  EXPECT_EQ(found("a = 1\n", 5), "none");  // no such line
}

}  // namespace
}  // namespace wasi_socketd::policy
