#include "sockets/name_resolver.h"

#include <gtest/gtest.h>

#include <boost/asio/thread_pool.hpp>

#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

class NameResolverTest : public ::testing::Test {
 protected:
  Result<NameResolver::Addresses> resolve(const std::string& name) {
    std::optional<Result<NameResolver::Addresses>> outcome;
    resolver_.resolve(
        name, [&](Result<NameResolver::Addresses> result) { outcome.emplace(std::move(result)); });
    EXPECT_FALSE(outcome.has_value()) << "completion must not run inside resolve()";
    EXPECT_TRUE(io_.run_until([&] { return outcome.has_value(); }, std::chrono::seconds(20)));
    return outcome.value_or(ErrorCode::unknown);
  }

  testing::IoFixture io_;
  boost::asio::thread_pool lookups_{2};
  NameResolver resolver_{io_.strand(), lookups_};
};

TEST_F(NameResolverTest, LocalhostResolvesToLoopback) {
  auto result = resolve("localhost");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->empty());
  for (const auto& ip : *result) EXPECT_TRUE(ip.is_loopback()) << ip;
}

TEST_F(NameResolverTest, IpLiteralsResolveToThemselves) {
  const std::pair<const char*, const char*> cases[] = {
      {"0.0.0.0", "0.0.0.0"}, {"127.0.0.1", "127.0.0.1"},
      {"::", "::"},           {"::1", "::1"},
      {"[::]", "::"},         {"2001:0db8:0:0:0:0:0:0", "2001:db8::"}};
  for (const auto& [name, expected] : cases) {
    auto result = resolve(name);
    ASSERT_TRUE(result) << name;
    ASSERT_EQ(result->size(), 1u) << name;
    EXPECT_EQ(result->front().to_string(), expected) << name;
  }
}

TEST_F(NameResolverTest, NeverReturnsIpv4MappedAddresses) {
  auto result = resolve("::ffff:127.0.0.1");
  ASSERT_TRUE(result);
  ASSERT_EQ(result->size(), 1u);
  EXPECT_TRUE(result->front().is_v4());
  EXPECT_EQ(result->front().to_string(), "127.0.0.1");
}

TEST_F(NameResolverTest, ResultsHaveNoDuplicates) {
  auto result = resolve("localhost");
  ASSERT_TRUE(result);
  for (std::size_t i = 0; i < result->size(); ++i) {
    for (std::size_t j = i + 1; j < result->size(); ++j) EXPECT_NE((*result)[i], (*result)[j]);
  }
}

TEST_F(NameResolverTest, InvalidNamesFailWithInvalidArgument) {
  auto result = resolve("not a name");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), ErrorCode::invalid_argument);
}

TEST_F(NameResolverTest, UnknownNameIsAResolverError) {
  // .invalid is reserved (RFC 6761): never resolvable. Without DNS access the lookup may also
  // fail temporarily; either way it is a resolver error, not a crash or a success.
  auto result = resolve("does-not-exist.invalid");
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error() == ErrorCode::name_unresolvable ||
              result.error() == ErrorCode::temporary_resolver_failure ||
              result.error() == ErrorCode::permanent_resolver_failure)
      << to_string(result.error());
}

}  // namespace
}  // namespace wasi_socketd::sockets
