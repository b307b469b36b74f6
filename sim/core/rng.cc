#include "sim/core/rng.h"

#include "sim/core/strings.h"
#include "sim/core/fixed_math.h"
#include "sim/core/hash.h"

namespace faultline {
namespace {

uint64_t SplitMix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  return Mix64(state);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Probability Probability::FromPpb(uint32_t ppb) {
  SIM_ASSERT(ppb <= kOne);
  return Probability(ppb);
}

Result<Probability> Probability::Parse(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return InvalidArgument(Cat("invalid probability \"", text, "\": ", why,
                                        " (expected a number in [0, 1] such as \"0.05\", or a "
                                        "percentage such as \"5%\")"));
  };
  std::string_view s = text;
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.remove_suffix(1);
  if (s.empty()) return bad("empty");
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (whole.empty() && frac.empty()) return bad("no digits");
  uint64_t value = 0;  // in parts per billion: 10^-9, or 10^-7 percent
  if (whole.size() > 3) return bad("greater than 1");
  for (char c : whole) {
    if (c < '0' || c > '9') return bad("not a number");
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  const int kDigits = percent ? 7 : 9;
  if (static_cast<int>(frac.size()) > kDigits) return bad("finer than one part per billion");
  for (int i = 0; i < kDigits; ++i) {
    char c = i < static_cast<int>(frac.size()) ? frac[i] : '0';
    if (c < '0' || c > '9') return bad("not a number");
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > kOne) return bad("greater than 1");
  return Probability(static_cast<uint32_t>(value));
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t st = seed;
  for (uint64_t& word : s_) word = SplitMix64(st);
}

Rng Rng::Stream(uint64_t root_seed, std::string_view name) {
  return Rng(HashString(name, Mix64(root_seed)));
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t n) {
  SIM_ASSERT(n >= 1);
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rng::Range(int64_t lo, int64_t hi) {
  SIM_ASSERT(lo <= hi);
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  uint64_t r = span == ~uint64_t{0} ? Next() : Uniform(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + r);
}

Duration Rng::Range(Duration lo, Duration hi) {
  return Duration::Nanos(Range(lo.nanos(), hi.nanos()));
}

bool Rng::Chance(uint64_t p, uint64_t q) {
  SIM_ASSERT(q >= 1 && p <= q);
  if (p == 0) return false;
  if (p == q) return true;
  return Uniform(q) < p;
}

Duration Rng::Exponential(Duration mean) {
  SIM_ASSERT(mean.nanos() >= 0);
  // Means beyond 2^56 ns (2.3 years) are clamped so the product below fits.
  const int64_t m = mean.nanos() < (int64_t{1} << 56) ? mean.nanos() : (int64_t{1} << 56);
  uint64_t u = Next() | 1;  // U = u / 2^64 in (0, 1); the low bit keeps u >= 1
  uint64_t neg_log2_q32 = (uint64_t{64} << 32) - FixedLog2Q32(u);
  unsigned __int128 t = static_cast<unsigned __int128>(m) * neg_log2_q32 >> 32;
  t = t * kLn2Q62 >> 62;
  constexpr unsigned __int128 kMax = std::numeric_limits<int64_t>::max();
  return Duration::Nanos(static_cast<int64_t>(t > kMax ? kMax : t));
}

int64_t Rng::NormalQ32() {
  int64_t sum = 0;
  for (int i = 0; i < 12; ++i) sum += static_cast<int64_t>(Next() >> 32);
  return sum - (int64_t{6} << 32);
}

Duration Rng::Lognormal(Duration median, int64_t sigma_milli) {
  SIM_ASSERT(median.nanos() >= 0 && sigma_milli >= 0 && sigma_milli <= 100'000);
  // x = sigma * Z (Q32), then exp(x) = 2^(x * log2 e).
  __int128 x = static_cast<__int128>(NormalQ32()) * sigma_milli / 1000;
  __int128 t = x * static_cast<__int128>(kLog2eQ62) >> 62;
  return Duration::Nanos(ScaleByExp2(median.nanos(), static_cast<int64_t>(t)));
}

}  // namespace faultline
