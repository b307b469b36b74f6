// The project's own PRNG and distributions (design §2, style.md §3).
//
// Generator: xoshiro256** (Blackman and Vigna), seeded through SplitMix64.
// Distributions are integer-only so that a seed produces the same numbers on
// every compiler, libm and machine; <random>'s distributions are
// implementation-defined and std::log differs between libm versions.
//
// Streams: a run's root seed is split into named streams by hashing
// (root seed, name). Adding a fault draws from "nemesis" and so never shifts
// the "workload" numbers; shrinking relies on this.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/core/status.h"
#include "sim/core/time.h"

namespace faultline {

// An exact probability in parts per billion. Parsed from decimal text so
// "0.001" means exactly one in a thousand.
class Probability {
 public:
  static constexpr uint32_t kOne = 1'000'000'000;
  constexpr Probability() = default;
  static constexpr Probability Never() { return Probability(0); }
  static constexpr Probability Always() { return Probability(kOne); }
  // REQUIRES: 0 <= ppb <= kOne.
  static Probability FromPpb(uint32_t ppb);
  // "0.05", "1", "0", "5%"; rejects values outside [0, 1] and anything finer
  // than one part per billion, with a message naming the text.
  static Result<Probability> Parse(std::string_view text);

  constexpr uint32_t ppb() const { return ppb_; }
  constexpr bool never() const { return ppb_ == 0; }
  constexpr auto operator<=>(const Probability&) const = default;

 private:
  constexpr explicit Probability(uint32_t ppb) : ppb_(ppb) {}
  uint32_t ppb_ = 0;
};

class Rng {
 public:
  explicit Rng(uint64_t seed);
  // The stream `name` of a run whose root seed is `root_seed`.
  static Rng Stream(uint64_t root_seed, std::string_view name);
  // The seed this generator started from.
  uint64_t seed() const { return seed_; }

  uint64_t Next();
  // Uniform in [0, n), n >= 1. Lemire's multiply-and-reject: unbiased.
  uint64_t Uniform(uint64_t n);
  // Uniform in [lo, hi], inclusive.
  int64_t Range(int64_t lo, int64_t hi);
  Duration Range(Duration lo, Duration hi);
  // True with probability p/q, 0 <= p <= q, q >= 1.
  bool Chance(uint64_t p, uint64_t q);
  bool Chance(Probability p) { return Chance(p.ppb(), Probability::kOne); }

  // Exponential with the given mean: mean * -ln(U), U uniform in (0, 1],
  // with ln computed as FixedLog2Q32 * ln 2 in fixed point. At most about
  // 44.4 * mean (U = 2^-64).
  Duration Exponential(Duration mean);
  // Approximately standard normal as Q32.32: the Irwin-Hall sum of twelve
  // 32-bit uniforms minus 6. Bounded to [-6, 6]; documented, not exact.
  int64_t NormalQ32();
  // Lognormal with the given median and shape sigma (in thousandths, so
  // 500 means sigma = 0.5): median * exp(sigma * Z), Z from NormalQ32,
  // exp computed as 2^(x log2 e) with FixedExp2Q32.
  Duration Lognormal(Duration median, int64_t sigma_milli);

 private:
  uint64_t seed_;
  uint64_t s_[4];
};

}  // namespace faultline
