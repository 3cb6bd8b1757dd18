// Formats an AuditEvent as one JSON object on one line (no trailing newline).
// Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "audit/audit_event.h"

namespace wasi_socketd::audit {

// Escapes `text` as the inside of a JSON string the way nlohmann-json does (quotes, backslashes,
// \n-style and \u00XX escapes for control characters; valid UTF-8 passes through unchanged, each
// invalid sequence becomes U+FFFD written as UTF-8, so every line stays JSON).
std::string json_escape(std::string_view text);

// "allow", "deny" or "would-deny", as the `outcome` field spells it.
std::string_view outcome_name(Outcome outcome);

// {"time":"2026-11-26T17:30:44.123Z","tenant":...,"outcome":"deny"}
std::string to_json_line(const AuditEvent& event);

}  // namespace wasi_socketd::audit
