// Client layer of the WIT error-code: every wire value comes back as the client code of the same
// WIT name and goes out again unchanged; anything else is kUnknown.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "proto_convert.h"
#include "wasi_socketd/client/error_code.h"

namespace wasi_socketd::client {
namespace {

// ERROR_CODE_ACCESS_DENIED -> access-denied, from protoc's own names.
std::string wit_name_of(v1::ErrorCode wire) {
  std::string name = v1::ErrorCode_Name(wire).substr(std::string_view("ERROR_CODE_").size());
  for (char& c : name) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

TEST(ProtoConvertErrorCodeTest, EveryWireValueRoundTripsThroughTheClientCode) {
  int seen = 0;
  for (int value = v1::ErrorCode_MIN; value <= v1::ErrorCode_MAX; ++value) {
    const auto wire = static_cast<v1::ErrorCode>(value);
    if (!v1::ErrorCode_IsValid(value) || wire == v1::ERROR_CODE_UNSPECIFIED) continue;
    const ErrorCode code = detail::from_proto(wire);
    EXPECT_EQ(to_string(code), wit_name_of(wire));
    EXPECT_EQ(detail::to_proto(code), wire) << wit_name_of(wire);
    ++seen;
  }
  EXPECT_EQ(seen, static_cast<int>(ErrorCode::kSessionLost));
}

TEST(ProtoConvertErrorCodeTest, NoErrorAndUnknownWireValuesAreUnknown) {
  EXPECT_EQ(detail::from_proto(v1::ERROR_CODE_UNSPECIFIED), ErrorCode::kUnknown);
  EXPECT_EQ(detail::from_proto(static_cast<v1::ErrorCode>(v1::ErrorCode_MAX + 1)),
            ErrorCode::kUnknown);
  EXPECT_EQ(detail::from_proto(static_cast<v1::ErrorCode>(-1)), ErrorCode::kUnknown);
}

TEST(ProtoConvertErrorCodeTest, SessionLostNeverGoesOnTheWire) {
  EXPECT_EQ(detail::to_proto(ErrorCode::kSessionLost), v1::ERROR_CODE_UNKNOWN);
}

}  // namespace
}  // namespace wasi_socketd::client
