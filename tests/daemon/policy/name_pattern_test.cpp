#include "policy/name_pattern.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

TEST(NamePattern, ExactNameIgnoresCaseAndTrailingDot) {
  const auto pattern = NamePattern::parse("api.Example.com");
  ASSERT_TRUE(pattern);
  EXPECT_TRUE(pattern->matches("API.example.COM."));
  EXPECT_FALSE(pattern->matches("www.example.com"));
}

TEST(NamePattern, WildcardMatchesNamesStrictlyBelowTheDomain) {
  const auto pattern = NamePattern::parse("*.example.com");
  ASSERT_TRUE(pattern);
  EXPECT_TRUE(pattern->matches("www.example.com"));
  EXPECT_TRUE(pattern->matches("a.b.example.com"));
  EXPECT_FALSE(pattern->matches("example.com"));
  EXPECT_FALSE(pattern->matches("badexample.com"));
  EXPECT_FALSE(pattern->matches("example.com.evil.org"));
}

TEST(NamePattern, StarAloneMatchesEveryName) {
  EXPECT_TRUE(NamePattern::parse("*")->matches("anything.org"));
  EXPECT_FALSE(NamePattern::parse("*")->matches(""));
}

TEST(NamePattern, RejectsMisplacedWildcardsAndEmptyLabels) {
  for (const char* bad : {"", ".", "a..b", "w*.example.com", "*example.com", "a.*.com", "*.*.com",
                          "a b.com", "example.com..", "*."}) {
    EXPECT_FALSE(NamePattern::parse(bad)) << "[" << bad << "]";
  }
}

}  // namespace
}  // namespace wasi_socketd::policy
