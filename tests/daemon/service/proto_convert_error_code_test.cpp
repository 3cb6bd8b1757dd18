// Daemon layer of the WIT error-code: every core ErrorCode goes on the wire as the v1::ErrorCode
// that protoc named after it (ERROR_CODE_ + its WIT name in upper snake case).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "service/proto_convert.h"
#include "sockets/error_code.h"
#include "wasi_socketd/common/wit_error_codes.h"

namespace wasi_socketd::daemon {
namespace {

std::string proto_name_of(std::string_view wit_name) {
  std::string name = "ERROR_CODE_";
  for (const char c : wit_name) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

TEST(ProtoConvertErrorCodeTest, EveryCoreCodeBecomesTheWireValueOfItsName) {
  std::set<int> values;
  for (std::size_t i = 0; i < wit::kErrorCodeCount; ++i) {
    const auto code = static_cast<sockets::ErrorCode>(i);
    const v1::ErrorCode wire = to_proto(code);
    EXPECT_EQ(v1::ErrorCode_Name(wire), proto_name_of(sockets::to_string(code)));
    EXPECT_TRUE(values.insert(wire).second) << sockets::to_string(code);
  }
  // Every wire value but UNSPECIFIED is some core code.
  EXPECT_EQ(values.size() + 1, static_cast<std::size_t>(v1::ErrorCode_ARRAYSIZE));
  EXPECT_EQ(values.count(v1::ERROR_CODE_UNSPECIFIED), 0U);
}

TEST(ProtoConvertErrorCodeTest, CoreNamesAreTheTableNamesInOrder) {
  EXPECT_EQ(sockets::to_string(sockets::ErrorCode::unknown), "unknown");
  EXPECT_EQ(sockets::to_string(sockets::ErrorCode::access_denied), "access-denied");
  EXPECT_EQ(sockets::to_string(sockets::ErrorCode::permanent_resolver_failure),
            "permanent-resolver-failure");
  EXPECT_EQ(static_cast<std::size_t>(sockets::ErrorCode::permanent_resolver_failure) + 1,
            wit::kErrorCodeCount);
  // A value outside the enum is named "unknown", never read beyond the table.
  EXPECT_EQ(sockets::to_string(static_cast<sockets::ErrorCode>(wit::kErrorCodeCount)), "unknown");
}

}  // namespace
}  // namespace wasi_socketd::daemon
