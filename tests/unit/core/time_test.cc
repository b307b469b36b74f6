#include <catch2/catch.hpp>

#include "sim/core/time.h"

namespace faultline {
namespace {

using namespace literals;

TEST_CASE("ParseDuration reads every unit exactly", "[time]") {
  CHECK(ParseDuration("250ms").value() == 250_ms);
  CHECK(ParseDuration("3s").value() == 3_s);
  CHECK(ParseDuration("1.5s").value() == 1500_ms);
  CHECK(ParseDuration("+400ms").value() == 400_ms);
  CHECK(ParseDuration("-2s").value() == -(2_s));
  CHECK(ParseDuration("100us").value() == 100_us);
  CHECK(ParseDuration("10ns").value() == 10_ns);
  CHECK(ParseDuration("2m").value() == Duration::Minutes(2));
  CHECK(ParseDuration("1h").value() == Duration::Minutes(60));
  CHECK(ParseDuration("0").value() == Duration::Zero());
  CHECK(ParseDuration("0.000000001s").value() == 1_ns);
  CHECK(ParseDuration(".5s").value() == 500_ms);
}

TEST_CASE("ParseDuration rejects malformed text with a reason", "[time][bad-input]") {
  for (const char* bad : {"", "5", "ms", "3x", "1.2.3s", "1.5ns", "--3s", "3 s", "s3",
                          "99999999999999999999s", "9223372036854775807h"}) {
    INFO(bad);
    Result<Duration> r = ParseDuration(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.code() == Error::kInvalidArgument);
    CHECK(r.status().message().find("invalid duration") != std::string::npos);
  }
}

TEST_CASE("FormatDuration round-trips through ParseDuration", "[time]") {
  for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1'000}, int64_t{1'500'000},
                    int64_t{1'234'567}, int64_t{60'000'000'000}, int64_t{-250'000'000},
                    int64_t{86'400'000'000'123}}) {
    Duration d = Duration::Nanos(n);
    INFO(FormatDuration(d));
    CHECK(ParseDuration(FormatDuration(d)).value() == d);
  }
  CHECK(FormatDuration(1500_ms) == "1.5s");
  CHECK(FormatDuration(250_ms) == "250ms");
  CHECK(FormatTime(Time::Zero() + 1500_ms) == "1.500000000s");
}

TEST_CASE("SaturatingAdd never wraps", "[time]") {
  CHECK(SaturatingAdd(Time::Max() - 1_s, Duration::Max()) == Time::Max());
  CHECK(SaturatingAdd(Time::Zero(), 5_s) == Time::Zero() + 5_s);
}

}  // namespace
}  // namespace faultline
