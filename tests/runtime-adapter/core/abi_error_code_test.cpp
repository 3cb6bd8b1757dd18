// C ABI layer of the WIT error-code: every client code becomes the WSD_ERR_* whose name is the
// client's name for it; the session being lost is a trap, never a WSD_ERR_*.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "abi_call.h"
#include "wasi_socketd/adapter.h"
#include "wasi_socketd/client/error_code.h"

namespace wasi_socketd::adapter {
namespace {

TEST(AbiErrorCodeTest, EveryClientCodeBecomesTheStatusOfItsName) {
  std::set<std::int32_t> statuses;
  for (int i = 0; i < static_cast<int>(client::ErrorCode::kSessionLost); ++i) {
    const auto code = static_cast<client::ErrorCode>(i);
    const std::int32_t status = error_code_of(code);
    EXPECT_GE(status, WSD_ERR_UNKNOWN);
    EXPECT_LE(status, WSD_ERR_PERMANENT_RESOLVER_FAILURE);
    const char* name = wsd_error_code_name(status);
    ASSERT_NE(name, nullptr) << status;
    EXPECT_EQ(std::string(name), client::to_string(code));
    EXPECT_TRUE(statuses.insert(status).second) << name;
  }
  EXPECT_EQ(statuses.size(),
            static_cast<std::size_t>(WSD_ERR_PERMANENT_RESOLVER_FAILURE - WSD_ERR_UNKNOWN + 1));
}

TEST(AbiErrorCodeTest, NamedStatusesAreTheWitNames) {
  EXPECT_EQ(error_code_of(client::ErrorCode::kAccessDenied), WSD_ERR_ACCESS_DENIED);
  EXPECT_EQ(error_code_of(client::ErrorCode::kWouldBlock), WSD_ERR_WOULD_BLOCK);
  EXPECT_STREQ(wsd_error_code_name(WSD_ERR_DATAGRAM_TOO_LARGE), "datagram-too-large");
}

TEST(AbiErrorCodeTest, SessionLostIsATrap) {
  try {
    (void)error_code_of(client::ErrorCode::kSessionLost);
    FAIL() << "no trap";
  } catch (const Trap& t) {
    EXPECT_EQ(t.message, kBrokerLost);
  }
}

}  // namespace
}  // namespace wasi_socketd::adapter
