#include "sim/core/fixed_math.h"

#include <limits>

#include "sim/core/assert.h"

namespace faultline {

uint64_t FixedLog2Q32(uint64_t x) {
  SIM_ASSERT(x >= 1);
  int msb = 63 - __builtin_clzll(x);
  // m in [1, 2) as Q1.63.
  unsigned __int128 m = static_cast<unsigned __int128>(x) << (63 - msb);
  uint64_t result = static_cast<uint64_t>(msb) << 32;
  for (int bit = 31; bit >= 0; --bit) {
    m = (m * m) >> 63;  // m^2, in [1, 4) as Q.63
    if (m >= (static_cast<unsigned __int128>(1) << 64)) {
      m >>= 1;
      result |= uint64_t{1} << bit;
    }
  }
  return result;
}

Exp2Result FixedExp2Q32(int64_t t_q32) {
  int64_t power = t_q32 >> 32;  // arithmetic shift: floor for negatives
  uint64_t frac_q32 = static_cast<uint64_t>(t_q32) & 0xffffffffULL;
  // x = frac * ln 2, in Q62 (< 1).
  uint64_t x = static_cast<uint64_t>((static_cast<unsigned __int128>(frac_q32) * kLn2Q62) >> 32);
  uint64_t sum = uint64_t{1} << 62;
  uint64_t term = uint64_t{1} << 62;
  for (uint64_t n = 1; term != 0; ++n) {
    term = static_cast<uint64_t>((static_cast<unsigned __int128>(term) * x) >> 62) / n;
    sum += term;
  }
  return {sum, power};
}

int64_t ScaleByExp2(int64_t value, int64_t t_q32) {
  SIM_ASSERT(value >= 0);
  Exp2Result e = FixedExp2Q32(t_q32);
  if (value == 0) return 0;  // also keeps the shifts below in range
  unsigned __int128 v = static_cast<unsigned __int128>(value) * e.mantissa_q62;  // Q62
  constexpr unsigned __int128 kMax = std::numeric_limits<int64_t>::max();
  int64_t shift = 62 - e.power;
  if (shift <= 0) {
    if (-shift >= 64 || v > (kMax >> -shift)) {
      return std::numeric_limits<int64_t>::max();
    }
    v <<= -shift;
  } else {
    v = shift >= 128 ? 0 : v >> shift;
  }
  if (v > kMax) return std::numeric_limits<int64_t>::max();
  return static_cast<int64_t>(v);
}

}  // namespace faultline
