// client::to_string(ErrorCode): the WIT names of the one table, plus session-lost.
#include "wasi_socketd/client/error_code.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

namespace wasi_socketd::client {
namespace {

TEST(ErrorCodeNameTest, NamesAreTheWitNames) {
  EXPECT_EQ(to_string(ErrorCode::kUnknown), "unknown");
  EXPECT_EQ(to_string(ErrorCode::kAccessDenied), "access-denied");
  EXPECT_EQ(to_string(ErrorCode::kOutOfMemory), "out-of-memory");
  EXPECT_EQ(to_string(ErrorCode::kTimeout), "timeout");
  EXPECT_EQ(to_string(ErrorCode::kAddressNotBindable), "address-not-bindable");
  EXPECT_EQ(to_string(ErrorCode::kDatagramTooLarge), "datagram-too-large");
  EXPECT_EQ(to_string(ErrorCode::kPermanentResolverFailure), "permanent-resolver-failure");
}

TEST(ErrorCodeNameTest, SessionLostIsTheClientsOwnName) {
  EXPECT_EQ(to_string(ErrorCode::kSessionLost), "session-lost");
}

TEST(ErrorCodeNameTest, EveryCodeHasItsOwnKebabCaseName) {
  std::set<std::string> seen;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kSessionLost); ++i) {
    const std::string name(to_string(static_cast<ErrorCode>(i)));
    EXPECT_TRUE(seen.insert(name).second) << name << " twice";
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-"), std::string::npos) << name;
  }
}

TEST(ErrorCodeNameTest, ValueOutsideTheEnumIsUnknown) {
  const auto beyond = static_cast<ErrorCode>(static_cast<int>(ErrorCode::kSessionLost) + 1);
  EXPECT_EQ(to_string(beyond), "unknown");
}

// wsd_error_code_name hands the view's data() to C callers.
TEST(ErrorCodeNameTest, ViewsAreNulTerminated) {
  const std::string_view name = to_string(ErrorCode::kConnectionRefused);
  EXPECT_EQ(std::strlen(name.data()), name.size());
}

}  // namespace
}  // namespace wasi_socketd::client
