#include "policy/token_bucket.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucket, BurstThenRefillAtTheRate) {
  TokenBucket bucket(10, 3);  // 10/s, 3 saved up
  const auto start = TokenBucket::Clock::now() + milliseconds(1);
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_FALSE(bucket.try_take(start));
  EXPECT_FALSE(bucket.try_take(start + milliseconds(50)));  // half a token
  EXPECT_TRUE(bucket.try_take(start + milliseconds(101)));
  EXPECT_FALSE(bucket.try_take(start + milliseconds(101)));
  // A long pause saves up no more than the burst.
  const auto later = start + std::chrono::seconds(10);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bucket.try_take(later));
  EXPECT_FALSE(bucket.try_take(later));
}

TEST(TokenBucket, ZeroRateIsUnlimited) {
  TokenBucket bucket(0, 0);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(bucket.try_take());
}

TEST(TokenBucket, BurstDefaultsToTheRate) {
  TokenBucket bucket(2, 0);
  const auto now = TokenBucket::Clock::now() + milliseconds(1);
  EXPECT_TRUE(bucket.try_take(now));
  EXPECT_TRUE(bucket.try_take(now));
  EXPECT_FALSE(bucket.try_take(now));
}

}  // namespace
}  // namespace wasi_socketd::policy
