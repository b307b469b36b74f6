// Strict unsigned-integer parsing for text that comes from outside: flags,
// the schedulers' environment variables, repro headers. Unlike strtoull and
// sscanf it takes no sign, no spaces and no trailing text, and reports
// overflow instead of wrapping or saturating.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/core/status.h"

namespace faultline {

// A non-negative integer, decimal or 0x hex; errors start with `what`
// ("--seeds", "JOB_COMPLETION_INDEX") and quote the text.
Result<uint64_t> ParseUint(std::string_view text, std::string_view what);

}  // namespace faultline
