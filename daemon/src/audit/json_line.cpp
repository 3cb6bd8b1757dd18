#include "audit/json_line.h"

#include <cstdio>
#include <ctime>

namespace wasi_socketd::audit {
namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

std::string format_time(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t whole = seconds.count();
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis.count()));
  return buffer;
}

void append_field(std::string& out, std::string_view key, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += key;
  out += "\":\"";
  out += json_escape(value);
  out += '"';
}

void append_number(std::string& out, std::string_view key, long long value) {
  out += ",\"";
  out += key;
  out += "\":";
  out += std::to_string(value);
}

}  // namespace

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (const auto length = utf8_sequence_length(text, i); length != 0) {
      out.append(text.substr(i, length));
      i += length - 1;
    } else {
      out += "\\ufffd";
    }
  }
  return out;
}

std::string to_json_line(const AuditEvent& event) {
  std::string out = "{";
  append_field(out, "time", format_time(event.time));
  append_field(out, "tenant", event.tenant);
  append_number(out, "uid", event.uid);
  append_number(out, "gid", event.gid);
  append_number(out, "pid", event.pid);
  append_field(out, "operation", event.operation);
  if (!event.address.empty()) append_field(out, "address", event.address);
  if (!event.name.empty()) append_field(out, "name", event.name);
  if (!event.target.empty()) append_field(out, "target", event.target);
  append_field(out, "rule", event.rule);
  append_field(out, "outcome", event.outcome == Outcome::allow ? "allow" : "deny");
  if (event.suppressed != 0)
    append_number(out, "suppressed", static_cast<long long>(event.suppressed));
  out += '}';
  return out;
}

}  // namespace wasi_socketd::audit
