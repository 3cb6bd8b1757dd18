// toml++ reads an unquoted port range such as `8090-8080` as the start of a date and reports a
// date error. Finding such a bare N-M on the failing line lets the loader say what was meant.
// Pure function; linear in the line's length (no regex: a policy line may be megabytes long).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wasi_socketd::policy {

struct UnquotedRange {
  uint32_t column;    // 1-based, where the range starts on its line
  std::string range;  // "8090-8080"
};

// The first N-M outside quotes and comments on line `line_number` (1-based) of `text`, standing
// as a value of its own (after `=`, `[`, `,` or a blank, before `]`, `,`, `#`, a blank or the end).
std::optional<UnquotedRange> find_unquoted_range(std::string_view text, uint32_t line_number);

}  // namespace wasi_socketd::policy
