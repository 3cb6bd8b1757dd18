#include "policy/policy_summary.h"

namespace wasi_socketd::policy {
namespace {

std::string plural(std::size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string describe(const Tenant& tenant) {
  std::string switches;
  auto add = [&](bool on, const char* what) {
    if (!on) return;
    if (!switches.empty()) switches += ", ";
    switches += what;
  };
  add(tenant.tcp, "tcp");
  add(tenant.udp, "udp");
  add(tenant.name_lookup.enabled, "lookups");
  if (switches.empty()) switches = "no network";
  std::size_t rules = 0;
  for (const auto& list : tenant.rules) rules += list.size();
  std::string listeners;
  for (const auto& name :
       tenant.listeners.empty() ? std::vector<std::string>{kMainListener} : tenant.listeners) {
    listeners += (listeners.empty() ? "" : " ") + name;
  }
  std::string out =
      tenant.name + " (" + switches + "; " + plural(rules, "rule") + "; listeners " + listeners;
  if (!tenant.network_namespace.empty()) out += "; netns " + tenant.network_namespace;
  std::string extensions;
  for (Extension extension : kBooleanExtensions) {
    if (tenant.extensions.allows(extension)) {
      extensions += (extensions.empty() ? "" : " ") + std::string(extension_name(extension));
    }
  }
  if (!tenant.extensions.multicast_groups.empty()) {
    extensions += (extensions.empty() ? "" : " ") +
                  plural(tenant.extensions.multicast_groups.size(), "multicast group");
  }
  if (!extensions.empty()) out += "; extensions " + extensions;
  if (tenant.mode == Mode::report) out += "; report mode";
  return out + ")";
}

}  // namespace

std::string summarize(const Policy& policy) {
  std::string out = plural(policy.listeners.size() + 1, "listener") + " (main";
  for (const auto& listener : policy.listeners) out += ", " + listener.name + " " + listener.path;
  out += "), " + plural(policy.tenants.size(), "tenant");
  for (std::size_t i = 0; i < policy.tenants.size(); ++i) {
    out += (i == 0 ? ": " : ", ") + describe(*policy.tenants[i]);
  }
  return out + "; audit to " + policy.audit.destination;
}

}  // namespace wasi_socketd::policy
