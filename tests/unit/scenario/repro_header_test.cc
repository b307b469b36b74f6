// The header line that ties a repro.lua to its run (sim/scenario/repro.h):
// written once, read strictly, so replay never checks against a misread seed.
#include <catch2/catch.hpp>

#include "sim/scenario/repro.h"

namespace faultline::scenario {
namespace {

TEST_CASE("A repro header reads back what ReproHeaderLine wrote", "[repro]") {
  const ReproHeader h{2026112400004, 0x313d5a238aa928b5, 0x0123456789abcdef};
  const std::string line = ReproHeaderLine(h);
  CHECK(line == "-- faultline: seed=2026112400004 trace_hash=0x313d5a238aa928b5 unseed=0x0123456789abcdef");
  Result<std::optional<ReproHeader>> back = ParseReproHeader("-- repro of x.lua\n" + line + "\r\n\nlocal s = scenario {}\n", "r.lua");
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK(**back == h);
}

TEST_CASE("A scenario without a header has none, a broken header is an error naming its line", "[repro]") {
  Result<std::optional<ReproHeader>> none = ParseReproHeader("-- a scenario written by hand\nlocal s = scenario {}\n", "s.lua");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  struct Case {
    std::string text, message;
  };
  const std::string ok = "trace_hash=0x0000000000000001 unseed=0x0000000000000002";
  for (const Case& c : {Case{"\n-- faultline: seed=-1 " + ok, "r.lua:2: seed must be decimal digits, got \"-1\""},
                        Case{"-- faultline: seed=0x10 " + ok, "r.lua:1: seed must be decimal digits"},
                        Case{"-- faultline: seed=7 trace_hash=12 unseed=0x0000000000000002", "r.lua:1: trace_hash must be 0x and 16 lowercase hex digits"},
                        Case{"-- faultline: seed=7 trace_hash=0x1 unseed=0x0000000000000002", "trace_hash must be 0x and 16 lowercase hex digits, got \"0x1\""},
                        Case{"-- faultline: seed=7 trace_hash=0x000000000000000A unseed=0x0000000000000002", "trace_hash must be"},
                        Case{"-- faultline: seed=7 unseed=0x0000000000000002", "r.lua:1: expected \"trace_hash=\" next"},
                        Case{"-- faultline: seed=7 " + ok + " extra", "unexpected \" extra\" after the unseed"},
                        Case{"-- faultline: seed=99999999999999999999 " + ok, "is too large"},
                        Case{"-- faultline: seed=1 " + ok + "\n-- faultline: seed=2 " + ok,
                             "r.lua:2: a second \"-- faultline:\" line (the first is line 1)"}}) {
    INFO(c.text);
    Result<std::optional<ReproHeader>> r = ParseReproHeader(c.text, "r.lua");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find(c.message) != std::string::npos);
  }
}

}  // namespace
}  // namespace faultline::scenario
