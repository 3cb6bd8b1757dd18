#include "sockets/name_syntax.h"

#include <gtest/gtest.h>

namespace wasi_socketd::sockets {
namespace {

std::string literal_of(std::string_view name) {
  auto parsed = parse_lookup_name(name);
  if (!parsed) return "error";
  auto* ip = std::get_if<boost::asio::ip::address>(&*parsed);
  return ip ? ip->to_string() : "name";
}

TEST(LookupNameSyntax, IpLiteralsAreAddresses) {
  EXPECT_EQ(literal_of("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(literal_of("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(literal_of("::"), "::");
  EXPECT_EQ(literal_of("::1"), "::1");
  EXPECT_EQ(literal_of("[::]"), "::");
  EXPECT_EQ(literal_of("2001:0db8:0:0:0:0:0:0"), "2001:db8::");
}

// As the URL standard parses hosts (and with it the reference host): a host whose last label is a
// number is an IPv4 address in any of its historical spellings, or invalid.
TEST(LookupNameSyntax, HostsEndingInANumberAreIpv4Addresses) {
  EXPECT_EQ(literal_of("3.3.3.3."), "3.3.3.3");
  EXPECT_EQ(literal_of("127.1"), "127.0.0.1");
  EXPECT_EQ(literal_of("0x7f.0.0.1"), "127.0.0.1");
  EXPECT_EQ(literal_of("0177.0.0.01"), "127.0.0.1");
  EXPECT_EQ(literal_of("2130706433"), "127.0.0.1");
  EXPECT_EQ(literal_of("10.0x10203"), "10.1.2.3");
  EXPECT_EQ(literal_of("255.255.255.255"), "255.255.255.255");
  for (const char* name :
       {"1.2.3.4.5", "256.0.0.1", "1.2.3.256", "4294967296", "a.123", "08.1", "1..2"}) {
    EXPECT_EQ(literal_of(name), "error") << name;
  }
  EXPECT_EQ(literal_of("0x"), "0.0.0.0");
  EXPECT_EQ(literal_of("0x.0xg"), "name");  // "0xg" is no number
  EXPECT_EQ(literal_of("a.123b"), "name");
  EXPECT_EQ(literal_of("123.example"), "name");
}

TEST(LookupNameSyntax, HostNamesAreNormalised) {
  auto parsed = parse_lookup_name("LocalHost.");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(std::get<std::string>(*parsed), "localhost");
  EXPECT_EQ(literal_of("example.com"), "name");
  EXPECT_EQ(literal_of("a_b.example-1.org"), "name");
}

TEST(LookupNameSyntax, UnicodeNamesBecomePunycode) {
  auto parsed = parse_lookup_name(
      "B\xc3\xbc"
      "cher.Example");  // "Bücher.Example"
  ASSERT_TRUE(parsed);
  EXPECT_EQ(std::get<std::string>(*parsed), "xn--bcher-kva.example");
}

// Checked before anything else: C libraries (IDNA, getaddrinfo) would read such a name only up to
// its NUL byte, while the policy matched all of it ("localhost\0é.example.com").
TEST(LookupNameSyntax, ControlCharactersAndInvalidUtf8AreInvalidArgument) {
  using namespace std::string_literals;
  for (const std::string& name :
       {"localhost\0\xc3\xa9.example.com"s, "localhost\0.example.com"s, "a\0"s, "\0"s, "a\tb.com"s,
        "a\nb.com"s, "a\x7f.com"s, "a\xc2\x85.com"s /* U+0085 (C1) */,
        "a\xc0\xae.com"s /* overlong '.' */, "a\xed\xa0\x80.com"s /* surrogate */,
        "a\xf4\x90\x80\x80.com"s /* past U+10FFFF */, "a\xc3.com"s, "\xc3"s}) {
    auto parsed = parse_lookup_name(name);
    ASSERT_FALSE(parsed) << name.size();
    EXPECT_EQ(parsed.error(), ErrorCode::invalid_argument);
  }
  EXPECT_TRUE(parse_lookup_name("\xc3\xa9.example.com"));  // é: fine on its own
}

TEST(LookupNameSyntax, MalformedNamesAreInvalidArgument) {
  for (const char* name : {"", "a..b", ".a", "-a.com", "a-.com", "a b", "a/b", "[127.0.0.1]",
                           "[::1", "a:b", "http://a", "bad\xff.com", "\xe2\x80\xae.com"}) {
    auto parsed = parse_lookup_name(name);
    ASSERT_FALSE(parsed) << name;
    EXPECT_EQ(parsed.error(), ErrorCode::invalid_argument) << name;
  }
  EXPECT_FALSE(parse_lookup_name(std::string(64, 'a') + ".com"));
  EXPECT_FALSE(parse_lookup_name(std::string(256, 'a')));
}

}  // namespace
}  // namespace wasi_socketd::sockets
