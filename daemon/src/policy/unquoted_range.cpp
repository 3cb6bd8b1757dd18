#include "policy/unquoted_range.h"

namespace wasi_socketd::policy {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool opens_value(char c) { return c == '=' || c == '[' || c == ',' || is_blank(c); }
bool closes_value(char c) { return c == ']' || c == ',' || c == '#' || is_blank(c); }

std::string_view line_of(std::string_view text, uint32_t line_number) {
  std::size_t begin = 0;
  for (uint32_t line = 1; line < line_number; ++line) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  const std::size_t end = text.find('\n', begin);
  return text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
}

}  // namespace

std::optional<UnquotedRange> find_unquoted_range(std::string_view text, uint32_t line_number) {
  const std::string_view line = line_of(text, line_number);
  char quote = 0;  // the quote we are inside, or 0
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\' && quote == '"') {
        ++i;  // an escaped character inside a basic string
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c == '#') return std::nullopt;  // the rest is a comment
    if (!is_digit(c) || (i > 0 && !opens_value(line[i - 1]))) continue;
    std::size_t end = i;
    while (end < line.size() && is_digit(line[end])) ++end;
    if (end + 1 < line.size() && line[end] == '-' && is_digit(line[end + 1])) {
      std::size_t last = end + 1;
      while (last < line.size() && is_digit(line[last])) ++last;
      if (last == line.size() || closes_value(line[last])) {
        return UnquotedRange{static_cast<uint32_t>(i) + 1, std::string(line.substr(i, last - i))};
      }
    }
    i = end - 1;  // skip the digits just read
  }
  return std::nullopt;
}

}  // namespace wasi_socketd::policy
