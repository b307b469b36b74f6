// Integer-only logarithm and exponential in fixed point. Floating-point
// transcendental functions (std::log, std::exp) differ between libm
// versions, so distributions that reach a run's behaviour use these instead.
// Each function is exact to the last bit on every platform with __int128.
#pragma once

#include <cstdint>

namespace faultline {

// log2(x) for x >= 1, as Q32.32 fixed point, by the bit-by-bit squaring
// method (Turner, "A Fast Binary Logarithm Algorithm", 2010).
uint64_t FixedLog2Q32(uint64_t x);

// 2^t for a signed Q32.32 exponent t, returned as Q62 mantissa in [1, 2) and
// an integer power: 2^t = mantissa / 2^62 * 2^power. The fraction uses the
// Taylor series of e^(f ln 2) in Q62 until its terms vanish.
struct Exp2Result {
  uint64_t mantissa_q62;
  int64_t power;
};
Exp2Result FixedExp2Q32(int64_t t_q32);

// value * 2^t with saturation at INT64_MAX; value >= 0.
int64_t ScaleByExp2(int64_t value, int64_t t_q32);

inline constexpr uint64_t kLn2Q62 = 3196577161300663914ULL;    // ln 2 * 2^62
inline constexpr uint64_t kLog2eQ62 = 6653256548922161245ULL;  // log2 e * 2^62

}  // namespace faultline
