#include "sim/scenario/units.h"

#include "sim/core/strings.h"

namespace faultline::scenario {

Result<int64_t> ParseInteger(std::string_view text) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 18) return InvalidArgument(Cat("expected an integer, got \"", text, "\""));
  int64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return InvalidArgument(Cat("expected an integer, got \"", text, "\""));
    v = v * 10 + (c - '0');
  }
  return negative ? -v : v;
}

Result<double> ParseDecimal(std::string_view text) {
  const size_t dot = text.find('.');
  Result<int64_t> whole = ParseInteger(text.substr(0, dot));
  if (!whole.ok() || *whole < 0) return InvalidArgument(Cat("expected a number such as 1 or 0.5, got \"", text, "\""));
  double v = static_cast<double>(*whole);
  if (dot != std::string_view::npos) {
    const std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 6) return InvalidArgument(Cat("expected a number such as 1 or 0.5, got \"", text, "\""));
    Result<int64_t> f = ParseInteger(frac);
    if (!f.ok() || *f < 0) return InvalidArgument(Cat("expected a number such as 1 or 0.5, got \"", text, "\""));
    double scale = 1;
    for (size_t i = 0; i < frac.size(); ++i) scale *= 10;
    v += static_cast<double>(*f) / scale;
  }
  return v;
}

Result<int64_t> ParseRate(std::string_view text) {
  const size_t slash = text.find('/');
  auto bad = [&] { return InvalidArgument(Cat("expected a rate such as \"200/s\" or \"30/m\", got \"", text, "\"")); };
  if (slash == std::string_view::npos) return bad();
  Result<int64_t> n = ParseInteger(text.substr(0, slash));
  const std::string_view unit = text.substr(slash + 1);
  if (!n.ok() || *n <= 0) return bad();
  if (unit == "s") return *n;
  if (unit == "m" && *n % 60 == 0) return *n / 60;
  if (unit == "m") return InvalidArgument(Cat("\"", text, "\": a per-minute rate must be a whole number per second (a multiple of 60/m)"));
  return bad();
}

Result<std::pair<Duration, Duration>> ParseDurationRange(std::string_view text) {
  const size_t dots = text.find("..");
  auto bad = [&] { return InvalidArgument(Cat("expected a duration or a range such as \"300ms..800ms\", got \"", text, "\"")); };
  Result<Duration> lo = ParseDuration(text.substr(0, dots));
  Result<Duration> hi = dots == std::string_view::npos ? lo : ParseDuration(text.substr(dots + 2));
  if (!lo.ok() || !hi.ok() || *hi < *lo || lo->nanos() < 0) return bad();
  return std::make_pair(*lo, *hi);
}

}  // namespace faultline::scenario
