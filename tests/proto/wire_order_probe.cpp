// Compiled (not linked) by wit_order_checks.cmake: the proto enum's checks against the table.
#include "wasi_socketd/error_code_wire.h"
