#include <catch2/catch.hpp>

#include "sim/world/clocks.h"

namespace faultline {
namespace {

using namespace literals;

Time T(Duration d) { return Time::Zero() + d; }

TEST_CASE("Skew moves the node's wall clock and not virtual time", "[clocks]") {
  Clocks c;
  c.AddNode();
  c.AddNode();
  c.SetOffset(NodeId(0), 400_ms);
  CHECK(c.Wall(NodeId(0), T(1_s)) == T(1400_ms));
  CHECK(c.Wall(NodeId(1), T(1_s)) == T(1_s));
  CHECK(c.Monotonic(NodeId(0), T(1_s)) == T(1_s));  // skew is not a monotonic step
}

TEST_CASE("Drift accumulates at its rate and folds on change", "[clocks]") {
  Clocks c;
  c.AddNode();
  REQUIRE(c.SetDrift(NodeId(0), 1000, T(0_s)).ok());  // +0.1%
  CHECK(c.Wall(NodeId(0), T(10_s)) == T(10_s + 10_ms));
  REQUIRE(c.SetDrift(NodeId(0), -2000, T(10_s)).ok());
  CHECK(c.Wall(NodeId(0), T(20_s)) == T(20_s + 10_ms - 20_ms));
  CHECK(c.Monotonic(NodeId(0), T(20_s)) == T(20_s - 10_ms));
}

TEST_CASE("A backwards jump never moves the monotonic clock back", "[clocks]") {
  Clocks c;
  c.AddNode();
  REQUIRE(c.SetDrift(NodeId(0), -400'000, T(0_s)).ok());
  Time last_mono = c.Monotonic(NodeId(0), T(0_s));
  Time wall_before = c.Wall(NodeId(0), T(5_s));
  c.Jump(NodeId(0), -(3_s));
  CHECK(c.Wall(NodeId(0), T(5_s)) == wall_before - 3_s);
  for (int ms = 0; ms <= 10'000; ms += 7) {
    Time m = c.Monotonic(NodeId(0), T(Duration::Millis(ms)));
    REQUIRE(m >= last_mono);
    last_mono = m;
  }
}

TEST_CASE("Drift outside its bound is rejected", "[clocks][bad-input]") {
  Clocks c;
  c.AddNode();
  Status s = c.SetDrift(NodeId(0), 2'000'000, T(0_s));
  CHECK(s.code() == Error::kInvalidArgument);
  CHECK(s.message().find("outside") != std::string::npos);
}

}  // namespace
}  // namespace faultline
