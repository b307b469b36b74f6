#include "sim/core/time.h"

#include <cstdlib>

#include "sim/core/strings.h"

namespace faultline {
namespace {

struct Unit {
  std::string_view name;
  int64_t nanos;
};
// Longest suffixes first so "ms" is not read as "m" followed by junk.
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

Status Bad(std::string_view text, std::string_view why) {
  return InvalidArgument(Cat("invalid duration \"", text, "\": ", why,
                                      " (expected e.g. \"250ms\", \"3s\", \"1.5s\"; units ns, us, "
                                      "ms, s, m, h)"));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Duration> ParseDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  while (i < s.size() && (IsDigit(s[i]) || s[i] == '.')) ++i;
  std::string_view number = s.substr(0, i);
  std::string_view suffix = s.substr(i);
  if (number.empty()) return Bad(text, "no number");
  if (suffix.empty()) {
    if (number.find_first_not_of('0') == std::string_view::npos) return Duration::Zero();
    return Bad(text, "missing unit");
  }
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (suffix == u.name) unit = &u;
  }
  if (unit == nullptr) return Bad(text, Cat("unknown unit \"", suffix, "\""));

  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (frac.find('.') != std::string_view::npos) return Bad(text, "two decimal points");
  if (whole.empty() && frac.empty()) return Bad(text, "no digits");

  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t total = 0;
  for (char c : whole) {
    int64_t d = c - '0';
    if (total > (kMax - d) / 10) return Bad(text, "too large");
    total = total * 10 + d;
  }
  if (total > kMax / unit->nanos) return Bad(text, "too large");
  total *= unit->nanos;
  // Each fractional digit contributes unit/10^k exactly; reject digits that
  // would need sub-nanosecond precision.
  int64_t scale = unit->nanos;
  for (char c : frac) {
    int64_t d = c - '0';
    if (scale % 10 != 0) {
      if (d != 0) return Bad(text, "finer than one nanosecond");
      continue;
    }
    scale /= 10;
    if (total > kMax - d * scale) return Bad(text, "too large");
    total += d * scale;
  }
  return Duration::Nanos(negative ? -total : total);
}

std::string FormatDuration(Duration d) {
  int64_t n = d.nanos();
  if (n == 0) return "0s";
  std::string sign = n < 0 ? "-" : "";
  uint64_t a = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  // Pick the largest of s, ms, us, ns in which the value has at most three
  // fractional digits, so 1500ms prints "1.5s" and 1234567ns "1.234567ms".
  struct U { const char* name; uint64_t nanos; };
  constexpr U kOrder[] = {{"s", 1'000'000'000}, {"ms", 1'000'000}, {"us", 1'000}, {"ns", 1}};
  for (const U& u : kOrder) {
    if (a < u.nanos) continue;
    uint64_t whole = a / u.nanos;
    uint64_t rest = a % u.nanos;
    if (rest == 0) return Cat(sign, whole, u.name);
    std::string digits = std::to_string(rest + u.nanos).substr(1);  // zero-padded
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    return Cat(sign, whole, ".", digits, u.name);
  }
  return Cat(sign, a, "ns");
}

std::string FormatTime(Time t) {
  int64_t n = t.nanos();
  std::string sign = n < 0 ? "-" : "";
  uint64_t a = n < 0 ? 0 - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
  std::string frac = std::to_string(a % 1'000'000'000 + 1'000'000'000).substr(1);
  return Cat(sign, a / 1'000'000'000, ".", frac, "s");
}

}  // namespace faultline
