#include "policy/rule_parser.h"

#include "policy/address_class.h"

namespace wasi_socketd::policy {
namespace {

std::optional<FamilyFilter> parse_family(std::string_view text) {
  if (text == "any") return FamilyFilter::any;
  if (text == "ipv4") return FamilyFilter::ipv4;
  if (text == "ipv6") return FamilyFilter::ipv6;
  return std::nullopt;
}

}  // namespace

std::vector<Cidr> read_networks(const toml::array& list, const TomlTableReader& reader) {
  std::vector<Cidr> networks;
  for (const toml::node& item : list) {
    const auto* text = item.as_string();
    if (text == nullptr) reader.fail(item, "an address must be a string such as \"10.0.0.0/8\"");
    if (const auto& words = class_networks(text->get()); !words.empty()) {
      networks.insert(networks.end(), words.begin(), words.end());
      continue;
    }
    std::string fault;
    const auto cidr = Cidr::parse(text->get(), &fault);
    if (!cidr) reader.fail(item, fault);
    networks.push_back(*cidr);
  }
  return networks;
}

std::vector<PortRange> read_ports(const toml::array& list, const TomlTableReader& reader) {
  std::vector<PortRange> ports;
  for (const toml::node& item : list) {
    std::optional<PortRange> range;
    std::string fault = "a port must be a number 0-65535 or a quoted range \"N-M\"";
    if (const auto* number = item.as_integer()) {
      range = PortRange::single(number->get(), &fault);
    } else if (const auto* text = item.as_string()) {
      range = PortRange::parse(text->get(), &fault);
    }
    if (!range) reader.fail(item, fault);
    ports.push_back(*range);
  }
  return ports;
}

std::vector<NamePattern> read_name_patterns(const toml::array& list,
                                            const TomlTableReader& reader) {
  std::vector<NamePattern> patterns;
  for (const toml::node& item : list) {
    const auto* text = item.as_string();
    const auto pattern = text ? NamePattern::parse(text->get()) : std::nullopt;
    if (!pattern) {
      reader.fail(item, (text ? "'" + text->get() + "' is not a name: write" : "a name must be") +
                            std::string(" a host name, \"*.domain\" or \"*\""));
    }
    patterns.push_back(*pattern);
  }
  return patterns;
}

AddressRule read_address_rule(const toml::table& table, const std::string& file,
                              const std::string& default_label) {
  TomlTableReader reader(table, file, "rule " + default_label);
  AddressRule rule;
  rule.label = reader.string("name").value_or(default_label);
  const std::string action = reader.string("action").value_or("allow");
  if (action == "deny") {
    rule.action = AddressRule::Action::deny;
  } else if (action != "allow") {
    reader.fail(*table.get("action"),
                "'action' is \"" + action + "\": write \"allow\" or \"deny\"");
  }
  if (const auto family = reader.string("family")) {
    const auto parsed = parse_family(*family);
    if (!parsed)
      reader.fail(*table.get("family"),
                  "'family' is \"" + *family + "\": write \"any\", \"ipv4\" or \"ipv6\"");
    rule.family = *parsed;
  }
  if (const auto* list = reader.array("addresses")) {
    rule.networks = read_networks(*list, reader);
    if (rule.networks.empty()) reader.fail(*list, "'addresses' is empty: leave it out to mean any");
  }
  if (const auto* list = reader.array("ports")) {
    rule.ports = read_ports(*list, reader);
    if (rule.ports.empty()) reader.fail(*list, "'ports' is empty: leave it out to mean any");
  }
  rule.privileged = reader.boolean("privileged").value_or(false);
  reader.reject_unknown_keys();
  return rule;
}

}  // namespace wasi_socketd::policy
