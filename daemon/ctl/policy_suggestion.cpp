#include "policy_suggestion.h"

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "address_aggregation.h"
#include "policy/extension_grants.h"
#include "policy/name_pattern.h"
#include "policy/operation.h"
#include "policy/port_range.h"

namespace wasi_socketd::daemon::ctl {
namespace {

using Address = boost::asio::ip::address;
using policy::Operation;

// Per use of an address, the addresses refused and their ports (empty set: any port is meant).
using UseNeeds = std::map<Address, std::set<uint16_t>>;

struct TenantNeeds {
  std::set<uint32_t> uids;
  bool tcp = false;
  bool udp = false;
  bool lookups = false;
  std::array<UseNeeds, policy::kAllOperations.size()> uses;
  std::set<std::string> names;         // host names whose lookup was refused
  std::set<Address> lookup_answers;    // protected addresses dropped from lookup answers
  std::set<std::string> deny_rules;    // explicit deny rules that refused something
  std::set<std::string> extensions;    // [tenant.extensions] switches an ungranted call needed
  std::set<Address> multicast_groups;  // groups a join or leave was refused for
  bool multicast = false;              // multicast hop limit / loopback asked without a group
  std::size_t refused = 0;
};

std::optional<Operation> operation_named(std::string_view text) {
  for (Operation operation : policy::kAllOperations) {
    if (policy::operation_name(operation) == text) return operation;
  }
  return std::nullopt;
}

std::optional<Address> parse_ip(std::string_view text) {
  boost::system::error_code error;
  const Address address = boost::asio::ip::make_address(std::string(text), error);
  if (error) return std::nullopt;
  return address;
}

// "1.2.3.4:80" or "[::1]:443".
std::optional<std::pair<Address, uint16_t>> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string_view host(text.data(), colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const auto address = parse_ip(host);
  const auto port = policy::PortRange::parse(std::string_view(text).substr(colon + 1));
  if (!address || !port || port->first != port->last) return std::nullopt;
  return std::pair{*address, port->first};
}

// Refusals no rule can lift: quotas, peers no tenant matched, removed tenants, namespaces.
bool beyond_rules(std::string_view rule) {
  return rule.starts_with("quota.") || rule.starts_with("audit.") || rule == "tenant-removed" ||
         rule == "unknown-peer" || rule == "network_namespace" || rule.empty();
}

// The daemon's own labels, as against a rule of the policy (whose deny an allow cannot follow).
bool generated_label(std::string_view rule) {
  return rule == "default-deny" || rule == "privileged-port" || rule.starts_with("protected.") ||
         rule.ends_with(".disabled") || rule == "unknown-operation";
}

// Whether the line is a refusal a rule accounts for; records what it needs.
bool note(const nlohmann::json& line, TenantNeeds& needs) {
  const std::string operation = line.value("operation", "");
  const std::string rule = line.value("rule", "");
  const std::string address = line.value("address", "");
  const std::string name = line.value("name", "");
  if (operation == "tcp.create" || operation == "udp.create") {
    (operation == "tcp.create" ? needs.tcp : needs.udp) = true;
    return true;
  }
  if (operation.starts_with("extension.")) {
    const std::string_view extension = std::string_view(operation).substr(10);
    if (extension == policy::extension_name(policy::Extension::multicast)) {
      // A join or leave names its group; the hop-limit and loopback options do not.
      if (const auto group = parse_ip(address)) {
        needs.multicast_groups.insert(*group);
      } else {
        needs.multicast = true;
      }
      return true;
    }
    for (policy::Extension known : policy::kBooleanExtensions) {
      if (policy::extension_name(known) == extension) {
        needs.extensions.insert(std::string(extension));
        return true;
      }
    }
    return false;
  }
  if (operation == "name_lookup") {
    needs.lookups = true;
    if (rule.starts_with("protected.")) {
      if (const auto answer = parse_ip(address)) needs.lookup_answers.insert(*answer);
    } else if (!name.empty() && !parse_ip(name)) {
      // The name is the tenant's: only a plain host name becomes an allow entry, never a
      // pattern ("*" would allow every name).
      const auto pattern = policy::NamePattern::parse(name);
      if (!pattern || name.find('*') != std::string::npos) return false;
      needs.names.insert(pattern->to_string());
    }  // a literal needs only ip_literals, which is on by default
    return true;
  }
  const auto use = operation_named(operation);
  const auto endpoint = parse_endpoint(address);
  if (!use || !endpoint) return false;
  (policy::is_tcp(*use) ? needs.tcp : needs.udp) = true;
  auto& ports = needs.uses[static_cast<std::size_t>(*use)][endpoint->first];
  // A peer's port is ephemeral: an accept or receive rule is about the address alone.
  if (*use != Operation::tcp_accept && *use != Operation::udp_receive) {
    ports.insert(endpoint->second);
  }
  if (!generated_label(rule)) needs.deny_rules.insert(rule);
  return true;
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

std::string toml_list(const std::vector<std::string>& items, bool quote_all) {
  std::string out = "[";
  for (const std::string& item : items) {
    if (out.size() > 1) out += ", ";
    const bool number = item.find('-') == std::string::npos && !quote_all;
    out += number ? item : quoted(item);
  }
  return out + "]";
}

// One [[tenant.PROTO.USE]] table per distinct set of ports, its addresses merged.
void write_use(std::ostream& out, Operation use, const UseNeeds& needs) {
  std::map<std::set<uint16_t>, std::set<Address>> by_ports;
  for (const auto& [address, ports] : needs) by_ports[ports].insert(address);
  for (const auto& [ports, addresses] : by_ports) {
    out << "[[tenant." << policy::operation_name(use) << "]]\n";
    out << "addresses = " << toml_list(aggregate_addresses(addresses), true) << "\n";
    if (!ports.empty()) out << "ports = " << toml_list(aggregate_ports(ports), false) << "\n";
    const bool privileged =
        policy::is_bind(use) && std::any_of(ports.begin(), ports.end(), policy::is_privileged_port);
    if (privileged) out << "privileged = true\n";
  }
}

// [tenant.extensions]: each switch an ungranted call needed, and the groups joined (exactly).
void write_extensions(std::ostream& out, const TenantNeeds& needs) {
  if (needs.extensions.empty() && needs.multicast_groups.empty() && !needs.multicast) return;
  out << "[tenant.extensions]\n";
  for (const std::string& extension : needs.extensions) out << extension << " = true\n";
  if (!needs.multicast_groups.empty()) {
    std::vector<std::string> groups;
    for (const Address& group : needs.multicast_groups) groups.push_back(group.to_string());
    out << "multicast_groups = " << toml_list(groups, true) << "\n";
  } else if (needs.multicast) {
    out << "# multicast-hop-limit / multicast-loopback were asked for: name the groups the tenant\n"
           "# joins in multicast_groups = [...] (a non-empty list grants them).\n";
  }
}

void write_tenant(std::ostream& out, const std::string& name, TenantNeeds& needs) {
  // Addresses a lookup answer lost are named for TCP connect unless a connect or send names them.
  auto& connect = needs.uses[static_cast<std::size_t>(Operation::tcp_connect)];
  const auto& send = needs.uses[static_cast<std::size_t>(Operation::udp_send)];
  for (const Address& answer : needs.lookup_answers) {
    if (!connect.contains(answer) && !send.contains(answer)) {
      connect[answer];  // any port: the log does not say which one it was for
      needs.tcp = true;
    }
  }
  out << "\n# tenant " << quoted(name) << ": " << needs.refused << " refusal(s).\n";
  for (const std::string& rule : needs.deny_rules) {
    out << "# refused by the deny rule " << rule
        << ": in your policy it comes before any rule added after it.\n";
  }
  out << "[[tenant]]\nname = " << quoted(name) << "\n";
  std::vector<std::string> uids;
  for (uint32_t uid : needs.uids) uids.push_back(std::to_string(uid));
  out << "uids = " << toml_list(uids, false)
      << "  # as seen in the log; select as your policy does\n";
  for (const bool tcp : {true, false}) {
    if (!(tcp ? needs.tcp : needs.udp)) continue;
    out << (tcp ? "[tenant.tcp]\n" : "[tenant.udp]\n");
    for (Operation use : policy::kAllOperations) {
      if (policy::is_tcp(use) == tcp)
        write_use(out, use, needs.uses[static_cast<std::size_t>(use)]);
    }
  }
  if (needs.lookups) {
    out << "[tenant.name_lookup]\n";
    if (!needs.names.empty()) {
      out << "allow = "
          << toml_list(std::vector<std::string>(needs.names.begin(), needs.names.end()), true)
          << "\n";
    }
  }
  write_extensions(out, needs);
}

}  // namespace

SuggestionReport suggest_policy(std::istream& audit, const std::string& tenant,
                                const std::string& source) {
  SuggestionReport report;
  std::map<std::string, TenantNeeds> tenants;
  for (std::string text; std::getline(audit, text);) {
    if (text.empty()) continue;
    ++report.lines;
    const auto line = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object() || !line.contains("outcome") || !line["outcome"].is_string()) {
      ++report.unreadable;
      continue;
    }
    const std::string who = line.value("tenant", "");
    const std::string operation = line.value("operation", "");
    if (operation == "audit.suppressed" || operation == "audit.dropped") {
      const bool ours =
          operation == "audit.dropped" || (!who.empty() && (tenant.empty() || who == tenant));
      if (ours && line.contains("suppressed") && line["suppressed"].is_number_unsigned()) {
        report.lost += line["suppressed"].get<std::size_t>();
      }
      continue;
    }
    const std::string outcome = line["outcome"].get<std::string>();
    if (outcome != "deny" && outcome != "would-deny") continue;
    if (!tenant.empty() && who != tenant) continue;
    if (who.empty() || beyond_rules(line.value("rule", ""))) {
      ++report.skipped;
      continue;
    }
    TenantNeeds& needs = tenants[who];
    if (!note(line, needs)) {
      ++report.skipped;
      continue;
    }
    if (line.contains("uid") && line["uid"].is_number_unsigned()) {
      needs.uids.insert(line["uid"].get<uint32_t>());
    }
    ++needs.refused;
    ++report.refused;
  }
  std::ostringstream out;
  out << "# wasi-socketctl policy suggest --audit " << source << ": " << report.refused
      << " refusal(s) the rules below would have allowed; " << report.skipped
      << " left out (quotas and unknown peers, which no rule lifts; names that are not plain host "
         "names).\n";
  if (report.lost != 0) {
    out << "# " << report.lost
        << " audit line(s) were suppressed (rate limit) or dropped before reaching the log: what\n"
           "# they recorded is not covered below. Run the workload again and suggest once more.\n";
  }
  out << "# To extend a tenant of your policy instead, paste its lines from [tenant.tcp] on at\n"
         "# the end of its [[tenant]] block, merging any table header it already has.\n";
  for (auto& [name, needs] : tenants) write_tenant(out, name, needs);
  report.toml = out.str();
  return report;
}

}  // namespace wasi_socketd::daemon::ctl
