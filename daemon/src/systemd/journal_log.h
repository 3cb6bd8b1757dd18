// Log lines on stderr that journald files with the right priority.
//
// Under systemd stderr is a stream to journald (JOURNAL_STREAM names it); journald reads a
// leading "<N>" as the syslog priority and adds its own timestamp. Elsewhere we print an
// ISO-8601 timestamp and the level instead. Call once at startup, before other threads log.
#pragma once

#include <memory>

#include <spdlog/logger.h>

namespace wasi_socketd::systemd {

// True when fd 2 is the journal stream systemd connected (device and inode match JOURNAL_STREAM).
bool stderr_is_journal();

// Sets the logger's format: "<priority>logger: message" for journald, timestamped otherwise.
void use_stderr_format(spdlog::logger& logger, bool journal);

}  // namespace wasi_socketd::systemd
