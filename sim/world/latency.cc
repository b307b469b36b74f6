#include "sim/world/latency.h"

#include "sim/core/strings.h"

namespace faultline {

Duration LatencyModel::Sample(Rng& rng) const {
  switch (kind) {
    case Kind::kConstant: return a;
    case Kind::kUniform: return rng.Range(a, b);
    case Kind::kExponential: return rng.Exponential(a);
    case Kind::kLognormal: return rng.Lognormal(a, sigma_milli);
  }
  return a;
}

std::string LatencyModel::ToString() const {
  switch (kind) {
    case Kind::kConstant: return FormatDuration(a);
    case Kind::kUniform: return Cat("uniform(", FormatDuration(a), ",", FormatDuration(b), ")");
    case Kind::kExponential: return Cat("exponential(", FormatDuration(a), ")");
    case Kind::kLognormal: {
      std::string frac = std::to_string(sigma_milli % 1000 + 1000).substr(1);
      while (frac.size() > 1 && frac.back() == '0') frac.pop_back();
      return Cat("lognormal(", FormatDuration(a), ",", sigma_milli / 1000, ".", frac, ")");
    }
  }
  return "?";
}

namespace {

constexpr std::string_view kForms =
    "expected \"1ms\", \"uniform(1ms,5ms)\", \"exponential(2ms)\" or \"lognormal(2ms,0.5)\"";

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument(Cat("invalid latency \"", text, "\": ", why, " (", kForms, ")"));
}

// "0.5" -> 500 (thousandths), exactly: at most 100, at most three decimals.
Result<int64_t> ParseMilli(std::string_view s) {
  Status bad = InvalidArgument("sigma must be a number in [0, 100] with at most 3 decimals");
  int64_t whole = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > 100) return bad;
  }
  if (i == 0) return bad;
  int64_t milli = whole * 1000;
  if (i < s.size() && s[i] == '.') {
    int64_t scale = 100;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (scale == 0) return bad;
      milli += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size() || milli > 100'000) return bad;
  return milli;
}

}  // namespace

Result<LatencyModel> LatencyModel::Parse(std::string_view text) {
  size_t open = text.find('(');
  if (open == std::string_view::npos) {
    Result<Duration> d = ParseDuration(text);
    if (!d.ok()) return Bad(text, d.status().message());
    if (d->nanos() < 0) return Bad(text, "negative latency");
    return Constant(*d);
  }
  if (text.back() != ')') return Bad(text, "missing ')'");
  std::string_view name = text.substr(0, open);
  std::string_view args = text.substr(open + 1, text.size() - open - 2);
  size_t comma = args.find(',');
  std::string_view first = args.substr(0, comma);
  std::string_view second = comma == std::string_view::npos ? "" : args.substr(comma + 1);
  while (!second.empty() && second.front() == ' ') second.remove_prefix(1);
  Result<Duration> d1 = ParseDuration(first);
  if (!d1.ok()) return Bad(text, d1.status().message());
  if (d1->nanos() < 0) return Bad(text, "negative latency");
  bool two = comma != std::string_view::npos;
  if (name == "uniform" && two) {
    Result<Duration> d2 = ParseDuration(second);
    if (!d2.ok()) return Bad(text, d2.status().message());
    if (*d2 < *d1) return Bad(text, "upper bound below lower bound");
    return Uniform(*d1, *d2);
  }
  if (name == "exponential" && !two) return Exponential(*d1);
  if (name == "lognormal" && two) {
    Result<int64_t> sigma = ParseMilli(second);
    if (!sigma.ok()) return Bad(text, sigma.status().message());
    return Lognormal(*d1, *sigma);
  }
  return Bad(text, Cat("unknown form \"", name, "\" or wrong number of arguments"));
}

}  // namespace faultline
