#include "policy/policy_loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "policy/address_class.h"
#include "policy/line_context.h"
#include "policy/rule_parser.h"
#include "policy/unquoted_range.h"

namespace wasi_socketd::policy {
namespace {

constexpr std::size_t kMaxPolicyBytes = 4 << 20;

// Array of tables under `key` ([[key]]), each handed to `read` with its index.
template <typename Read>
void for_each_table(TomlTableReader& reader, std::string_view key, Read read) {
  const toml::array* list = reader.array(key);
  if (list == nullptr) return;
  std::size_t index = 0;
  for (const toml::node& item : *list) {
    if (!item.is_table()) reader.fail(item, "'" + std::string(key) + "' entries must be tables");
    read(*item.as_table(), index++);
  }
}

AuditSettings read_audit(const toml::table& table, const std::string& file) {
  TomlTableReader reader(table, file, "[audit]");
  AuditSettings audit;
  if (auto destination = reader.string("destination")) {
    if (*destination != "stderr" && *destination != "none" && !destination->starts_with('/')) {
      reader.fail(*table.get("destination"),
                  "'destination' must be \"stderr\", \"none\" or an absolute path");
    }
    audit.destination = *destination;
  }
  audit.log_grants = reader.boolean("log_grants").value_or(false);
  reader.reject_unknown_keys();
  return audit;
}

ListenerDefinition read_listener(const toml::table& table, const std::string& file) {
  TomlTableReader reader(table, file, "[[listener]]");
  ListenerDefinition listener;
  listener.name = reader.required_string("name");
  reader.set_context("[[listener]] \"" + listener.name + "\"");
  if (listener.name == kMainListener) {
    reader.fail(*table.get("name"), "listener name \"main\" is reserved for --listen");
  }
  listener.path = reader.required_string("path");
  if (!listener.path.starts_with('/')) reader.fail(*table.get("path"), "'path' must be absolute");
  if (listener.path.size() >= 108)
    reader.fail(*table.get("path"), "'path' is too long for a Unix socket");
  if (const toml::node* mode = reader.node("mode")) {
    const auto* number = mode->as_integer();
    if (number == nullptr || number->get() < 0 || number->get() > 0777) {
      reader.fail(*mode, "'mode' must be a file mode in octal, such as 0o660");
    }
    listener.mode = static_cast<mode_t>(number->get());
  }
  if (const toml::node* owner = reader.node("owner")) listener.owner = read_uid(*owner, reader);
  if (const toml::node* group = reader.node("group")) listener.group = read_gid(*group, reader);
  reader.reject_unknown_keys();
  return listener;
}

void read_rules(const toml::table& table, const std::string& file, Tenant& tenant,
                std::initializer_list<Operation> operations, const std::string& context) {
  TomlTableReader reader(table, file, context);
  const bool enabled = reader.boolean("enabled").value_or(true);
  for (Operation operation : operations) {
    const std::string_view use = operation_name(operation).substr(4);  // "tcp.bind" → "bind"
    for_each_table(reader, use, [&](const toml::table& rule_table, std::size_t index) {
      const std::string label = tenant.name + "." + std::string(operation_name(operation)) + "[" +
                                std::to_string(index) + "]";
      tenant.rules_for(operation).push_back(read_address_rule(rule_table, file, label));
    });
  }
  reader.reject_unknown_keys();
  (is_tcp(*operations.begin()) ? tenant.tcp : tenant.udp) = enabled;
}

void read_name_lookup(const toml::table& table, const std::string& file, Tenant& tenant) {
  TomlTableReader reader(table, file, "[tenant.name_lookup] of \"" + tenant.name + "\"");
  NameLookupRules& lookup = tenant.name_lookup;
  lookup.enabled = reader.boolean("enabled").value_or(true);
  if (const auto* list = reader.array("allow")) lookup.allow = read_name_patterns(*list, reader);
  lookup.ip_literals = reader.boolean("ip_literals").value_or(true);
  lookup.connect_resolved = reader.boolean("connect_resolved").value_or(false);
  if (const auto* list = reader.array("connect_resolved_ports")) {
    lookup.connect_resolved_ports = read_ports(*list, reader);
  }
  reader.reject_unknown_keys();
}

ExtensionGrants read_extensions(const toml::table& table, const std::string& file,
                                const std::string& tenant) {
  TomlTableReader reader(table, file, "[tenant.extensions] of \"" + tenant + "\"");
  ExtensionGrants grants;
  for (Extension extension : kBooleanExtensions) {
    grants.granted[static_cast<std::size_t>(extension)] =
        reader.boolean(extension_name(extension)).value_or(false);
  }
  if (const auto* list = reader.array("multicast_groups")) {
    grants.multicast_groups = read_networks(*list, reader);
    // read_networks checked the syntax; each entry must now lie inside the multicast class.
    const std::vector<Cidr>& multicast = class_networks("multicast");
    const auto is_multicast = [&](const Cidr& network) {
      return std::any_of(multicast.begin(), multicast.end(),
                         [&](const Cidr& range) { return network.within(range); });
    };
    for (const toml::node& item : *list) {
      const std::string text(item.as_string()->get());
      std::vector<Cidr> networks = class_networks(text);
      if (networks.empty()) networks.push_back(*Cidr::parse(text));
      if (!std::all_of(networks.begin(), networks.end(), is_multicast)) {
        reader.fail(item,
                    "'multicast_groups' entries must be multicast networks (inside "
                    "224.0.0.0/4 or ff00::/8), not \"" +
                        text + "\"");
      }
    }
  }
  reader.reject_unknown_keys();
  return grants;
}

Quotas read_quotas(const toml::table& table, const std::string& file, const std::string& tenant) {
  TomlTableReader reader(table, file, "[tenant.quotas] of \"" + tenant + "\"");
  constexpr int64_t kMax = int64_t{1} << 48;
  Quotas quotas;
  quotas.sockets =
      static_cast<uint64_t>(reader.integer("sockets", 0, kMax).value_or(quotas.sockets));
  quotas.sockets_per_session = static_cast<uint64_t>(
      reader.integer("sockets_per_session", 0, kMax).value_or(quotas.sockets_per_session));
  quotas.sessions =
      static_cast<uint64_t>(reader.integer("sessions", 0, kMax).value_or(quotas.sessions));
  quotas.buffered_bytes = static_cast<uint64_t>(
      reader.integer("buffered_bytes", 0, kMax).value_or(quotas.buffered_bytes));
  quotas.connections_per_second = static_cast<uint64_t>(
      reader.integer("connections_per_second", 0, kMax).value_or(quotas.connections_per_second));
  quotas.connections_burst = static_cast<uint64_t>(
      reader.integer("connections_burst", 0, kMax).value_or(quotas.connections_burst));
  reader.reject_unknown_keys();
  return quotas;
}

std::shared_ptr<Tenant> read_tenant(const toml::table& table, const std::string& file,
                                    const AuditSettings& audit,
                                    const std::set<std::string, std::less<>>& listener_names) {
  TomlTableReader reader(table, file, "[[tenant]]");
  auto tenant = std::make_shared<Tenant>();
  tenant->name = reader.required_string("name");
  reader.set_context("[[tenant]] \"" + tenant->name + "\"");
  tenant->log_grants = reader.boolean("log_grants").value_or(audit.log_grants);
  if (const auto mode = reader.string("mode")) {
    if (*mode == "report") {
      tenant->mode = Mode::report;
    } else if (*mode != "enforce") {
      reader.fail(*table.get("mode"), "'mode' must be \"enforce\" or \"report\"");
    }
  }
  if (const auto* list = reader.array("uids")) {
    for (const toml::node& item : *list) tenant->uids.push_back(read_uid(item, reader));
  }
  if (const auto* list = reader.array("gids")) {
    for (const toml::node& item : *list) tenant->gids.push_back(read_gid(item, reader));
  }
  if (const auto* list = reader.array("listeners")) {
    for (const toml::node& item : *list) {
      const auto* name = item.as_string();
      if (name == nullptr ||
          (name->get() != kMainListener && !listener_names.contains(name->get()))) {
        reader.fail(item, "'listeners' entries must name a [[listener]] (or \"main\")");
      }
      tenant->listeners.push_back(name->get());
    }
  }
  if (auto netns = reader.string("network_namespace")) {
    if (!netns->starts_with('/')) {
      reader.fail(*table.get("network_namespace"), "'network_namespace' must be an absolute path");
    }
    tenant->network_namespace = *netns;
  }
  const std::string of = " of \"" + tenant->name + "\"";
  if (const auto* tcp = reader.table("tcp")) {
    read_rules(
        *tcp, file, *tenant,
        {Operation::tcp_bind, Operation::tcp_listen, Operation::tcp_accept, Operation::tcp_connect},
        "[tenant.tcp]" + of);
  }
  if (const auto* udp = reader.table("udp")) {
    read_rules(*udp, file, *tenant,
               {Operation::udp_bind, Operation::udp_send, Operation::udp_receive},
               "[tenant.udp]" + of);
  }
  if (const auto* lookup = reader.table("name_lookup")) read_name_lookup(*lookup, file, *tenant);
  if (const auto* quotas = reader.table("quotas"))
    tenant->quotas = read_quotas(*quotas, file, tenant->name);
  if (const auto* extensions = reader.table("extensions"))
    tenant->extensions = read_extensions(*extensions, file, tenant->name);
  reader.reject_unknown_keys();
  return tenant;
}

std::shared_ptr<const Policy> read_policy(const toml::table& root, const std::string& file) {
  TomlTableReader reader(root, file, "the top level");
  auto policy = std::make_shared<Policy>();
  policy->source = file;
  if (const auto* audit = reader.table("audit")) policy->audit = read_audit(*audit, file);

  std::set<std::string, std::less<>> listener_names;
  std::set<std::string, std::less<>> listener_paths;
  for_each_table(reader, "listener", [&](const toml::table& table, std::size_t) {
    ListenerDefinition listener = read_listener(table, file);
    if (!listener_names.insert(listener.name).second) {
      reader.fail(table, "listener \"" + listener.name + "\" is defined twice");
    }
    if (!listener_paths.insert(listener.path).second) {
      reader.fail(table, "two listeners use the path " + listener.path);
    }
    policy->listeners.push_back(std::move(listener));
  });

  std::set<std::string, std::less<>> tenant_names;
  // All tenants' sockets belong to the daemon's one uid, so the kernel lets sockets of two tenants
  // that both set SO_REUSEADDR/SO_REUSEPORT share a UDP port (and each other's datagrams): one
  // tenant per network namespace may have the grant.
  std::map<std::string, std::string, std::less<>> port_sharer_by_netns;
  for_each_table(reader, "tenant", [&](const toml::table& table, std::size_t) {
    auto tenant = read_tenant(table, file, policy->audit, listener_names);
    if (!tenant_names.insert(tenant->name).second) {
      reader.fail(table, "tenant \"" + tenant->name + "\" is defined twice");
    }
    if (tenant->extensions.allows(Extension::reuse_address) ||
        tenant->extensions.allows(Extension::reuse_port)) {
      const auto [sharer, first] =
          port_sharer_by_netns.emplace(tenant->network_namespace, tenant->name);
      if (!first) {
        reader.fail(table, "tenants \"" + sharer->second + "\" and \"" + tenant->name +
                               "\" both have reuse_address or reuse_port in " +
                               (tenant->network_namespace.empty()
                                    ? std::string("the daemon's network namespace")
                                    : "network namespace " + tenant->network_namespace) +
                               ": their UDP sockets could share a port and take each other's "
                               "datagrams; grant it to one of them, or give them separate "
                               "network_namespace");
      }
    }
    policy->tenants.push_back(std::move(tenant));
  });
  reader.reject_unknown_keys();
  return policy;
}

// The rule or tenant the bare range stands in, read from the text with the range quoted (which
// TOML can parse, unless the file has more faults).
std::optional<std::string> context_of_quoted(std::string_view text, uint32_t line,
                                             const UnquotedRange& bare) {
  std::size_t at = 0;
  for (uint32_t current = 1; current < line; ++current) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return std::nullopt;
    ++at;
  }
  at += bare.column - 1;
  if (at + bare.range.size() > text.size()) return std::nullopt;
  std::string quoted(text);
  quoted.insert(at + bare.range.size(), "\"");
  quoted.insert(at, "\"");
  try {
    return context_of_line(toml::parse(quoted), line);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

}  // namespace

LoadResult parse_policy(std::string_view text, const std::string& source_name) {
  try {
    const toml::table root = toml::parse(text, source_name);
    return {read_policy(root, source_name), std::nullopt};
  } catch (const toml::parse_error& error) {
    const auto& where = error.source().begin;
    // An unquoted `8090-8080` reads as a date to TOML: say what was meant instead.
    if (auto bare = find_unquoted_range(text, where.line)) {
      std::string message = "port range " + bare->range + " must be quoted: write \"" +
                            bare->range + "\" (unquoted, TOML reads it as a date)";
      if (auto context = context_of_quoted(text, where.line, *bare)) message += " in " + *context;
      return {nullptr, PolicyError{source_name, where.line, bare->column, std::move(message)}};
    }
    return {nullptr,
            PolicyError{source_name, where.line, where.column, std::string(error.description())}};
  } catch (const PolicyErrorException& error) {
    return {nullptr, error.error()};
  }
}

LoadResult load_policy_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {nullptr, PolicyError{path, 0, 0, "cannot be read"}};
  std::ostringstream text;
  text << in.rdbuf();
  if (text.view().size() > kMaxPolicyBytes)
    return {nullptr, PolicyError{path, 0, 0, "is larger than 4 MiB"}};
  return parse_policy(text.view(), path);
}

}  // namespace wasi_socketd::policy
