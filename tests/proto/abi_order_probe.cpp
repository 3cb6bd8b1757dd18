// Compiled (not linked) by wit_order_checks.cmake: the WSD_ERR_* checks against the table.
#include "abi_error_code.h"
