// Test helpers: parse a policy text that must load, or must fail (its positioned error).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "policy/policy_loader.h"

namespace wasi_socketd::policy {

inline boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

inline std::shared_ptr<const Policy> parse_ok(const std::string& text) {
  LoadResult result = parse_policy(text, "test.toml");
  EXPECT_TRUE(result.ok()) << (result.error ? result.error->to_string() : "");
  return result.policy;
}

// "file:line:column: message", or "" when the text loaded.
inline std::string parse_error(const std::string& text) {
  LoadResult result = parse_policy(text, "test.toml");
  EXPECT_FALSE(result.ok());
  return result.error ? result.error->to_string() : "";
}

// A policy text that must fail, and the exact "file:line:column: message" prefix of its error.
struct BadCase {
  const char* text;
  const char* expected;
};

}  // namespace wasi_socketd::policy
