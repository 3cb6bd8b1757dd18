// Counts the error-codes a session's calls answer with, per tenant (wasi_socketd_errors_total).
// Strand of the session; cheap when the tenant keeps no metrics.
#pragma once

#include "session/session.h"
#include "wasi_socketd/v1/network.pb.h"

namespace wasi_socketd::daemon {

// No-op for ERROR_CODE_UNSPECIFIED (success); would-block goes to wasi_socketd_retries_total.
void count_error(const Session& session, v1::ErrorCode error);

}  // namespace wasi_socketd::daemon
