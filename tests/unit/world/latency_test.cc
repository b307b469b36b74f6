#include <catch2/catch.hpp>

#include "sim/world/latency.h"

namespace faultline {
namespace {

using namespace literals;

TEST_CASE("Latency models parse and print the same forms", "[latency]") {
  for (const char* text : {"1ms", "uniform(1ms,5ms)", "exponential(2ms)", "lognormal(2ms,0.5)",
                           "lognormal(300us,1.25)"}) {
    INFO(text);
    Result<LatencyModel> m = LatencyModel::Parse(text);
    REQUIRE(m.ok());
    CHECK(m->ToString() == text);
  }
}

TEST_CASE("Bad latency text names the accepted forms", "[latency][bad-input]") {
  for (const char* text : {"", "fast", "uniform(5ms,1ms)", "uniform(1ms)", "exponential(1ms,2ms)",
                           "lognormal(1ms,x)", "lognormal(1ms,0.0005)", "lognormal(1ms,100.5)",
                           "lognormal(1ms,1111111111111111111111)", "-1ms", "normal(1ms,2ms)", "uniform(1ms,5ms"}) {
    INFO(text);
    Result<LatencyModel> m = LatencyModel::Parse(text);
    REQUIRE_FALSE(m.ok());
    CHECK(m.status().message().find("invalid latency") != std::string::npos);
  }
}

TEST_CASE("Samples stay within their model", "[latency]") {
  Rng rng(1);
  LatencyModel u = LatencyModel::Uniform(1_ms, 5_ms);
  for (int i = 0; i < 1000; ++i) {
    Duration d = u.Sample(rng);
    REQUIRE((d >= 1_ms && d <= 5_ms));
  }
  CHECK(LatencyModel::Constant(3_ms).Sample(rng) == 3_ms);
  CHECK(LatencyModel::Exponential(2_ms).Sample(rng).nanos() >= 0);
}

}  // namespace
}  // namespace faultline
