// The scenario language's value syntax beyond durations (sim/core/time.h):
// integers, decimals, rates ("200/s") and duration ranges ("300ms..800ms").
// Errors say what was expected.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "sim/core/status.h"
#include "sim/core/time.h"

namespace faultline::scenario {

Result<int64_t> ParseInteger(std::string_view text);
// "1", "0.5", "1.25": a plain decimal (no exponent), to 6 places.
Result<double> ParseDecimal(std::string_view text);
// "200/s", "30/m": operations per second (at least 1/s).
Result<int64_t> ParseRate(std::string_view text);
// "300ms..800ms" or one duration "500ms" (both bounds equal); lo <= hi.
Result<std::pair<Duration, Duration>> ParseDurationRange(std::string_view text);

}  // namespace faultline::scenario
