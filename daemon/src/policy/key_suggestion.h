// "Did you mean": the known key closest to a misspelt one, for policy error messages.
// Pure function; safe to call from any thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace wasi_socketd::policy {

// The key in `known` within a small edit distance of `typo` (at most 2, and less than half of
// `typo`'s length), the closest first; nullopt when none is that close.
std::optional<std::string> closest_key(std::string_view typo,
                                       const std::set<std::string, std::less<>>& known);

}  // namespace wasi_socketd::policy
