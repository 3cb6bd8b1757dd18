// [tenant.extensions]: every grant off unless named, each key read, multicast_groups limited to
// multicast networks, and the parser's errors positioned at the offending text.
#include <gtest/gtest.h>

#include "policy/policy_loader.h"
#include "policy/policy_summary.h"
#include "policy_parse.h"

namespace wasi_socketd::policy {
namespace {

TEST(ExtensionGrants, EveryExtensionIsOffUnlessGranted) {
  for (const char* text :
       {"[[tenant]]\nname = \"a\"\n", "[[tenant]]\nname = \"a\"\n[tenant.extensions]\n"}) {
    const auto policy = parse_ok(text);
    ASSERT_TRUE(policy);
    const ExtensionGrants& grants = policy->tenants[0]->extensions;
    for (Extension extension : kBooleanExtensions) {
      EXPECT_FALSE(grants.allows(extension)) << extension_name(extension);
    }
    EXPECT_FALSE(grants.allows(Extension::multicast));
    EXPECT_FALSE(grants.allows_group(ip("239.1.2.3")));
  }
}

TEST(ExtensionGrants, ReadsEveryKey) {
  std::string text = "[[tenant]]\nname = \"a\"\n[tenant.extensions]\n";
  for (Extension extension : kBooleanExtensions) {
    text += std::string(extension_name(extension)) + " = true\n";
  }
  text += "multicast_groups = [\"239.1.0.0/16\", \"ff15::/16\"]\n";
  const auto policy = parse_ok(text);
  ASSERT_TRUE(policy);
  const ExtensionGrants& grants = policy->tenants[0]->extensions;
  for (Extension extension : kBooleanExtensions) {
    EXPECT_TRUE(grants.allows(extension)) << extension_name(extension);
  }
  EXPECT_TRUE(grants.allows(Extension::multicast));
  EXPECT_TRUE(grants.allows_group(ip("239.1.200.3")));
  EXPECT_TRUE(grants.allows_group(ip("ff15::1")));
  EXPECT_FALSE(grants.allows_group(ip("239.2.0.1")));
  EXPECT_FALSE(grants.allows_group(ip("ff05::1")));
}

TEST(ExtensionGrants, FalseAndOneByOne) {
  const auto policy = parse_ok(
      "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nno_delay = true\nbroadcast = false\n");
  ASSERT_TRUE(policy);
  const ExtensionGrants& grants = policy->tenants[0]->extensions;
  EXPECT_TRUE(grants.allows(Extension::no_delay));
  EXPECT_FALSE(grants.allows(Extension::broadcast));
  EXPECT_FALSE(grants.allows(Extension::cork));
}

TEST(ExtensionGrants, TheStartupSummaryNamesTheGrants) {
  const auto policy = parse_ok(
      "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nno_delay = true\ncork = true\n"
      "multicast_groups = [\"239.1.0.0/16\", \"ff05::/16\"]\n[[tenant]]\nname = \"b\"\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(summarize(*policy),
            "1 listener (main), 2 tenants: a (no network; 0 rules; listeners main; extensions "
            "no_delay cork 2 multicast groups), b (no network; 0 rules; listeners main); audit to "
            "stderr");
}

TEST(ExtensionGrants, TheMulticastClassWordGrantsEveryGroup) {
  const auto policy = parse_ok(
      "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = [\"multicast\"]\n");
  ASSERT_TRUE(policy);
  EXPECT_TRUE(policy->tenants[0]->extensions.allows_group(ip("224.0.0.251")));
  EXPECT_TRUE(policy->tenants[0]->extensions.allows_group(ip("ff02::fb")));
}

TEST(ExtensionGrants, OneTenantPerNetworkNamespaceMayShareUdpPorts) {
  const std::string two =
      "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nreuse_port = true\n"
      "[[tenant]]\nname = \"b\"\n";
  EXPECT_TRUE(
      parse_error(two + "[tenant.extensions]\nreuse_address = true\n")
          .starts_with("test.toml:5:1: tenants \"a\" and \"b\" both have reuse_address or "
                       "reuse_port in the daemon's network namespace: their UDP sockets "
                       "could share a port and take each other's datagrams; grant it to one "
                       "of them, or give them separate network_namespace"));
  // In separate namespaces, or with only one of them granted, the policy loads.
  EXPECT_TRUE(parse_ok(two + "network_namespace = \"/run/netns/b\"\n"
                             "[tenant.extensions]\nreuse_port = true\n"));
  EXPECT_TRUE(parse_ok(two + "[tenant.extensions]\nno_delay = true\n"));
}

class ExtensionGrantErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ExtensionGrantErrors, PointAtTheOffendingText) {
  const std::string error = parse_error(GetParam().text);
  EXPECT_EQ(error.substr(0, std::string(GetParam().expected).size()), GetParam().expected) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ExtensionGrantErrors,
    ::testing::Values(
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\nno_dely = true\n",
                "test.toml:4:1: unknown key 'no_dely'"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\ncork = \"yes\"\n",
                "test.toml:4:8: 'cork' must be a boolean"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast = true\n",
                "test.toml:4:1: unknown key 'multicast'"},
        BadCase{
            "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = [\"10.0.0.0/8\"]\n",
            "test.toml:4:21: 'multicast_groups' entries must be multicast networks"},
        BadCase{
            "[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = [\"0.0.0.0/0\"]\n",
            "test.toml:4:21: 'multicast_groups' entries must be multicast networks"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = [\"any\"]\n",
                "test.toml:4:21: 'multicast_groups' entries must be multicast networks"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = "
                "[\"239.1.0.1/16\"]\n",
                "test.toml:4:21: '239.1.0.1/16' has host bits set"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.extensions]\nmulticast_groups = [239]\n",
                "test.toml:4:21: an address must be a string"},
        BadCase{"[[tenant]]\nname = \"a\"\nextensions = true\n",
                "test.toml:3:14: 'extensions' must be a table"}));

}  // namespace
}  // namespace wasi_socketd::policy
