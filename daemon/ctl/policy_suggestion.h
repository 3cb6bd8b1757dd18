// `wasi-socketctl policy suggest`: reads the daemon's audit log (JSON lines) and writes, per
// tenant, the smallest TOML rules that would have allowed every decision recorded as `deny` or
// `would-deny` by the tenant's rules or switches. Quota refusals are left out (no rule lifts
// them), as are unknown peers and removed tenants. Offline: no daemon involved. Single-threaded.
#pragma once

#include <istream>
#include <string>

namespace wasi_socketd::daemon::ctl {

struct SuggestionReport {
  std::string toml;         // one [[tenant]] block per tenant with something to allow; may be empty
  std::size_t lines = 0;    // audit lines read
  std::size_t refused = 0;  // of those, the deny / would-deny decisions the rules account for
  // deny / would-deny lines left out: no rule lifts them (quotas, unknown peers), or their name
  // is no plain host name (a pattern such as "*" from the log would allow every name)
  std::size_t skipped = 0;
  std::size_t lost = 0;        // lines the daemon's rate limit or full queue kept out of the log
  std::size_t unreadable = 0;  // lines that are not an audit record
};

// `tenant` empty: every tenant in the log. `source` names the log in the output's header comment.
SuggestionReport suggest_policy(std::istream& audit, const std::string& tenant,
                                const std::string& source);

}  // namespace wasi_socketd::daemon::ctl
