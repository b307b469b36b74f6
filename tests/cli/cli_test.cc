// The faultline executable's contract: exit codes and error messages.
#include <catch2/catch.hpp>

#include <string>

#include "tests/process.h"

namespace faultline {
namespace {

testing::ProcessResult Faultline(const std::string& args) {
  return testing::RunProcess(std::string(FAULTLINE_BINARY) + " " + args + " 2>&1");
}

TEST_CASE("demo prints seed, trace hash, faults and how to replay", "[cli]") {
  testing::ProcessResult r = Faultline("demo --seed 3");
  REQUIRE(r.exit_code == 0);
  for (const char* want : {"seed         3", "trace hash   0x", "unseed       0x",
                           "faults applied (7)", "partition", "crash", "restart", "heal",
                           "replay       faultline demo --seed 3"}) {
    INFO(want);
    CHECK(r.out.find(want) != std::string::npos);
  }
}

TEST_CASE("The replay line printed by demo reproduces the run", "[cli][determinism]") {
  testing::ProcessResult r = Faultline("demo --seed 9 --nemesis on");
  REQUIRE(r.exit_code == 0);
  size_t at = r.out.find("replay       faultline ");
  REQUIRE(at != std::string::npos);
  std::string line = r.out.substr(at + 23, r.out.find('\n', at) - at - 23);
  testing::ProcessResult replay = Faultline(line);
  CHECK(replay.exit_code == 0);
}

TEST_CASE("Bad flags exit 2 and say what was expected", "[cli][bad-input]") {
  struct Case {
    const char* args;
    const char* message;
  };
  for (const Case& c : {Case{"demo --seed abc", "--seed: expected a non-negative integer"},
                        Case{"demo --duration 5", "invalid duration \"5\": missing unit"},
                        Case{"demo --duration 3x", "unknown unit \"x\""},
                        Case{"demo --nodes 1", "--nodes: expected 2..1000"},
                        Case{"demo --nemesis maybe", "expected on or off"},
                        Case{"demo --frobnicate 1", "unknown flag --frobnicate"},
                        Case{"demo --seed", "flag --seed needs a value"},
                        Case{"demo extra", "unexpected argument \"extra\""},
                        Case{"explode", "unknown command 'explode'"},
                        Case{"", "usage: faultline"}}) {
    INFO(c.args);
    testing::ProcessResult r = Faultline(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
  }
}

}  // namespace
}  // namespace faultline
