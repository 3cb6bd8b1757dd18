// The refusal answer's bytes: one HTTP/2 HEADERS frame a gRPC client reads as a trailers-only
// response (the end-to-end check with a real gRPC client is tests/security/floods_test.cpp).
#include "transport/grpc_refusal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

namespace wasi_socketd::daemon {
namespace {

// Decodes the literal-without-indexing fields the encoder writes (lengths up to 16383).
std::map<std::string, std::string> decode_literals(std::string_view block) {
  std::map<std::string, std::string> fields;
  const auto length = [&block]() {
    std::size_t value = static_cast<std::uint8_t>(block[0]) & 0x7f;
    block.remove_prefix(1);
    if (value == 127) {
      std::size_t shift = 0;
      std::uint8_t next = 0;
      do {
        next = static_cast<std::uint8_t>(block[0]);
        block.remove_prefix(1);
        value += static_cast<std::size_t>(next & 0x7f) << shift;
        shift += 7;
      } while ((next & 0x80) != 0);
    }
    return value;
  };
  while (!block.empty()) {
    EXPECT_EQ(block[0], '\0') << "not a literal without indexing, new name";
    block.remove_prefix(1);
    const std::size_t name_length = length();
    std::string name(block.substr(0, name_length));
    block.remove_prefix(name_length);
    const std::size_t value_length = length();
    fields[name] = std::string(block.substr(0, value_length));
    block.remove_prefix(value_length);
  }
  return fields;
}

TEST(GrpcRefusal, IsOneTrailersOnlyHeadersFrameOnTheCallsStream) {
  const std::string frame =
      grpc_trailers_only_frame(3, 7, "no tenant matches uid 1000 on listener main");
  ASSERT_GE(frame.size(), 9u);
  const std::size_t length = (static_cast<std::uint8_t>(frame[0]) << 16) |
                             (static_cast<std::uint8_t>(frame[1]) << 8) |
                             static_cast<std::uint8_t>(frame[2]);
  EXPECT_EQ(length, frame.size() - 9);
  EXPECT_EQ(frame[3], 0x1);  // HEADERS
  EXPECT_EQ(frame[4], 0x5);  // END_STREAM | END_HEADERS
  EXPECT_EQ(frame.substr(5, 4), std::string("\0\0\0\x03", 4));
  const auto fields = decode_literals(std::string_view(frame).substr(9));
  EXPECT_EQ(fields.at(":status"), "200");
  EXPECT_EQ(fields.at("content-type"), "application/grpc");
  EXPECT_EQ(fields.at("grpc-status"), "7");
  EXPECT_EQ(fields.at("grpc-message"), "no tenant matches uid 1000 on listener main");
}

TEST(GrpcRefusal, MessagesArePercentEncodedAndLongOnesFit) {
  const std::string reason = "100% \xc3\xa9\n" + std::string(300, 'x');
  const std::string frame = grpc_trailers_only_frame(1, 7, reason);
  const auto fields = decode_literals(std::string_view(frame).substr(9));
  EXPECT_EQ(fields.at("grpc-message"), "100%25 %C3%A9%0A" + std::string(300, 'x'));
}

}  // namespace
}  // namespace wasi_socketd::daemon
