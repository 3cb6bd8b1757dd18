// Reads the value pieces of a policy file that have their own syntax: address rules
// ([[tenant.tcp.connect]] and friends), address lists, port lists, name patterns.
// Errors go through the reader (file:line:column). Single-threaded helper of the loader.
#pragma once

#include <string>
#include <vector>

#include "policy/address_rule.h"
#include "policy/name_pattern.h"
#include "policy/toml_table_reader.h"

namespace wasi_socketd::policy {

// `addresses`: CIDRs, bare addresses, or class words (address_class.h: "loopback", "metadata",
// ...).
std::vector<Cidr> read_networks(const toml::array& list, const TomlTableReader& reader);
// `ports`: integers or "N-M" strings.
std::vector<PortRange> read_ports(const toml::array& list, const TomlTableReader& reader);
std::vector<NamePattern> read_name_patterns(const toml::array& list, const TomlTableReader& reader);

// One rule table; `default_label` is used when the rule has no `name`.
AddressRule read_address_rule(const toml::table& table, const std::string& file,
                              const std::string& default_label);

}  // namespace wasi_socketd::policy
