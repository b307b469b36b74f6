// Per-link latency distributions (design §5). Sampling uses the integer-only
// distributions of sim/core/rng.h, so a seed gives the same delays anywhere.
#pragma once

#include <string>
#include <string_view>

#include "sim/core/rng.h"

namespace faultline {

struct LatencyModel {
  enum class Kind : uint8_t { kConstant, kUniform, kExponential, kLognormal };
  Kind kind = Kind::kConstant;
  Duration a = Duration::Millis(1);  // constant value, uniform low, mean, or median
  Duration b;                        // uniform high
  int64_t sigma_milli = 0;           // lognormal shape, thousandths

  static LatencyModel Constant(Duration d) { return {Kind::kConstant, d, {}, 0}; }
  static LatencyModel Uniform(Duration lo, Duration hi) { return {Kind::kUniform, lo, hi, 0}; }
  static LatencyModel Exponential(Duration mean) { return {Kind::kExponential, mean, {}, 0}; }
  // REQUIRES: 0 <= sigma_milli <= 100000 (sigma at most 100).
  static LatencyModel Lognormal(Duration median, int64_t sigma_milli) {
    SIM_ASSERT(sigma_milli >= 0 && sigma_milli <= 100'000);
    return {Kind::kLognormal, median, {}, sigma_milli};
  }

  Duration Sample(Rng& rng) const;
  bool constant() const { return kind == Kind::kConstant; }
  // "1ms", "uniform(1ms,5ms)", "exponential(2ms)", "lognormal(2ms,0.5)".
  std::string ToString() const;
  // Parses the forms ToString prints; errors say which form was expected.
  static Result<LatencyModel> Parse(std::string_view text);
};

}  // namespace faultline
