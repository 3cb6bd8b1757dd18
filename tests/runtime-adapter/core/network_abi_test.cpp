// wasi:sockets/network through the C ABI: error-code names need no host and cover exactly the WIT.
#include <gtest/gtest.h>

#include <string>

#include "wasi_socketd/adapter.h"

namespace {

TEST(NetworkAbiTest, ErrorCodeNamesAreTheWitNames) {
  EXPECT_STREQ(wsd_error_code_name(WSD_ERR_UNKNOWN), "unknown");
  EXPECT_STREQ(wsd_error_code_name(WSD_ERR_ACCESS_DENIED), "access-denied");
  EXPECT_STREQ(wsd_error_code_name(WSD_ERR_ADDRESS_NOT_BINDABLE), "address-not-bindable");
  EXPECT_STREQ(wsd_error_code_name(WSD_ERR_PERMANENT_RESOLVER_FAILURE),
               "permanent-resolver-failure");
}

TEST(NetworkAbiTest, ErrorCodeNameIsNullForAnythingButAnError) {
  EXPECT_EQ(wsd_error_code_name(WSD_OK), nullptr);
  EXPECT_EQ(wsd_error_code_name(WSD_ERR_PERMANENT_RESOLVER_FAILURE + 1), nullptr);
  EXPECT_EQ(wsd_error_code_name(WSD_STREAM_CLOSED), nullptr);
  EXPECT_EQ(wsd_error_code_name(WSD_TRAP), nullptr);
}

}  // namespace
