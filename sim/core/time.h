// Virtual time. Every instant and span in the simulator is an int64 count of
// nanoseconds: exact, totally ordered and identical across machines.
//
// Time is an instant measured from the start of a run; Duration is a signed
// span. They are distinct types so that adding two instants does not compile.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "sim/core/status.h"

namespace faultline {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Nanos(int64_t n) { return Duration(n); }
  static constexpr Duration Micros(int64_t n) { return Duration(n * 1'000); }
  static constexpr Duration Millis(int64_t n) { return Duration(n * 1'000'000); }
  static constexpr Duration Seconds(int64_t n) { return Duration(n * 1'000'000'000); }
  static constexpr Duration Minutes(int64_t n) { return Seconds(n * 60); }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanos() const { return ns_; }
  constexpr int64_t millis() const { return ns_ / 1'000'000; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class Time {
 public:
  constexpr Time() = default;
  static constexpr Time FromNanos(int64_t n) { return Time(n); }
  static constexpr Time Zero() { return Time(0); }
  static constexpr Time Max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanos() const { return ns_; }

  constexpr Time operator+(Duration d) const { return Time(ns_ + d.nanos()); }
  constexpr Time operator-(Duration d) const { return Time(ns_ - d.nanos()); }
  constexpr Duration operator-(Time o) const { return Duration::Nanos(ns_ - o.ns_); }
  constexpr Time& operator+=(Duration d) { ns_ += d.nanos(); return *this; }
  constexpr auto operator<=>(const Time&) const = default;

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// Saturating addition: a deadline of "forever" must not wrap around.
constexpr Time SaturatingAdd(Time t, Duration d) {
  if (d.nanos() > 0 && t.nanos() > std::numeric_limits<int64_t>::max() - d.nanos()) {
    return Time::Max();
  }
  return t + d;
}

// Parses "250ms", "3s", "1.5s", "+400ms", "-2s", "100us", "10ns", "2m", "1h",
// "0". Units: ns, us, ms, s, m, h. A fraction is exact (decimal, no floating
// point) and must resolve to whole nanoseconds. A bare number is rejected
// unless it is 0: "5" is ambiguous and a common typo.
Result<Duration> ParseDuration(std::string_view text);

// "1.5s", "250ms", "-3us": the shortest exact rendering ParseDuration accepts.
std::string FormatDuration(Duration d);
// Virtual time as seconds with nanosecond precision, "12.000250000s".
std::string FormatTime(Time t);

namespace literals {
constexpr Duration operator""_ns(unsigned long long n) { return Duration::Nanos(static_cast<int64_t>(n)); }
constexpr Duration operator""_us(unsigned long long n) { return Duration::Micros(static_cast<int64_t>(n)); }
constexpr Duration operator""_ms(unsigned long long n) { return Duration::Millis(static_cast<int64_t>(n)); }
constexpr Duration operator""_s(unsigned long long n) { return Duration::Seconds(static_cast<int64_t>(n)); }
constexpr Duration operator""_min(unsigned long long n) { return Duration::Minutes(static_cast<int64_t>(n)); }
constexpr Duration operator""_h(unsigned long long n) { return Duration::Minutes(60 * static_cast<int64_t>(n)); }
}  // namespace literals

}  // namespace faultline
