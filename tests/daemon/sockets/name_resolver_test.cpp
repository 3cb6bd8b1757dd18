#include "sockets/name_resolver.h"

#include <gtest/gtest.h>

#include <future>

#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

class NameResolverTest : public ::testing::Test {
 protected:
  Result<NameResolver::Addresses> resolve(const std::string& name) {
    auto parsed = parse_lookup_name(name);
    if (!parsed) return parsed.error();
    std::optional<Result<NameResolver::Addresses>> outcome;
    resolver_.resolve(*parsed, [&](Result<NameResolver::Addresses> result) {
      outcome.emplace(std::move(result));
    });
    EXPECT_FALSE(outcome.has_value()) << "completion must not run inside resolve()";
    EXPECT_TRUE(io_.run_until([&] { return outcome.has_value(); }, std::chrono::seconds(20)));
    return outcome.value_or(ErrorCode::unknown);
  }

  testing::IoFixture io_;
  LookupPool lookups_{{.threads = 2, .per_tenant = 1}};
  NameResolver resolver_{io_.strand(), lookups_, "t"};
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

// Lookups of a tenant at its limit fail at once instead of queueing behind the stuck ones, and
// leave the other threads to other tenants.
TEST_F(NameResolverTest, ATenantAtItsLimitFailsAtOnceAndOthersStillResolve) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(lookups_.try_run("t", [released] { released.wait(); }));  // t's one lookup: stuck
  EXPECT_EQ(lookups_.running("t"), 1u);
  auto refused = resolve("localhost");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), ErrorCode::temporary_resolver_failure);

  NameResolver other{io_.strand(), lookups_, "other"};
  std::optional<Result<NameResolver::Addresses>> outcome;
  other.resolve(
      parse_lookup_name("localhost").value(),
      [&](Result<NameResolver::Addresses> result) { outcome.emplace(std::move(result)); });
  EXPECT_TRUE(io_.run_until([&] { return outcome.has_value(); }, std::chrono::seconds(20)));
  ASSERT_TRUE(outcome && *outcome);

  release.set_value();
  EXPECT_TRUE(io_.run_until([&] { return lookups_.running("t") == 0; }, std::chrono::seconds(5)));
  EXPECT_TRUE(resolve("localhost"));  // the share comes back when the stuck lookup ends
}

// A full pool refuses everyone rather than queueing without bound.
TEST_F(NameResolverTest, AFullPoolRefusesAtOnce) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(lookups_.try_run("a", [released] { released.wait(); }));
  ASSERT_TRUE(lookups_.try_run("b", [released] { released.wait(); }));
  EXPECT_FALSE(lookups_.try_run("c", [] {}));
  auto refused = resolve("localhost");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), ErrorCode::temporary_resolver_failure);
  release.set_value();
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
