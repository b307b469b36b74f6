// Determinism (design §2): 100 seeds of the demo cluster under the random
// swarm nemesis, each run twice in this process and once in a child
// process, must give identical trace hashes and unseeds; different seeds
// must give different hashes. The child has a different address space
// (ASLR), so any pointer-dependent order would show up as a mismatch.
#include <catch2/catch.hpp>

#include <cinttypes>
#include <set>
#include <sstream>

#include "sim/cli/demo.h"
#include "tests/process.h"

namespace faultline {
namespace {

using namespace literals;

constexpr int kSeeds = 100;

DemoOptions Options(uint64_t seed) {
  DemoOptions o;
  o.seed = seed;
  o.nodes = 5;
  o.duration = 10_s;
  o.nemesis = true;
  return o;
}

TEST_CASE("100 seeds: same seed, same run, in-process and in a child process", "[determinism]") {
  std::set<uint64_t> distinct;
  uint64_t total_faults = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    INFO("seed " << seed);
    DemoResult a = RunDemo(Options(seed));
    DemoResult b = RunDemo(Options(seed));
    REQUIRE(a.trace_hash == b.trace_hash);
    REQUIRE(a.unseed == b.unseed);
    REQUIRE(a.events == b.events);
    REQUIRE(a.faults.size() == b.faults.size());
    REQUIRE(a.events > 1000);
    total_faults += a.faults.size();
    distinct.insert(a.trace_hash);

    std::ostringstream cmd;
    cmd << FAULTLINE_BINARY << " demo --nemesis on --quiet on --seed " << seed;
    testing::ProcessResult child = testing::RunProcess(cmd.str());
    REQUIRE(child.exit_code == 0);
    char expected[128];
    std::snprintf(expected, sizeof expected, "%" PRIu64 " 0x%016" PRIx64 " 0x%016" PRIx64 "\n", seed,
                  a.trace_hash, a.unseed);
    REQUIRE(child.out == expected);
  }
  CHECK(distinct.size() == kSeeds);
  CHECK(total_faults > 10 * kSeeds);  // the nemesis really was busy
}

TEST_CASE("Prefetch hints never change a run", "[determinism]") {
  // Crashes, pauses and restarts leave stale fiber handles, held events
  // and freed packets for the hints to look at; the runs must not differ.
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    DemoOptions on = Options(seed);
    on.prefetch = Prefetch::kOn;
    DemoOptions off = Options(seed);
    off.prefetch = Prefetch::kOff;
    DemoResult a = RunDemo(on);
    DemoResult b = RunDemo(off);
    REQUIRE(a.trace_hash == b.trace_hash);
    REQUIRE(a.unseed == b.unseed);
    REQUIRE(a.events == b.events);
  }
}

TEST_CASE("A replay that diverges is reported with exit code 3", "[determinism]") {
  DemoResult a = RunDemo(Options(5));
  char hash[32];
  std::snprintf(hash, sizeof hash, "0x%016" PRIx64, a.trace_hash ^ 1);
  std::ostringstream cmd;
  cmd << FAULTLINE_BINARY << " demo --nemesis on --quiet on --seed 5 --expect-hash " << hash
      << " 2>&1";
  testing::ProcessResult child = testing::RunProcess(cmd.str());
  CHECK(child.exit_code == 3);
  CHECK(child.out.find("NONDETERMINISM") != std::string::npos);
}

TEST_CASE("The per-event log pins down where two runs part", "[determinism]") {
  DemoOptions o = Options(11);
  o.trace_log = true;
  DemoResult a = RunDemo(o);
  DemoResult b = RunDemo(o);
  CHECK_FALSE(FirstDivergence(a.trace_log, b.trace_log).has_value());
  o.seed = 12;
  DemoResult c = RunDemo(o);
  REQUIRE(FirstDivergence(a.trace_log, c.trace_log).has_value());
  CHECK(*FirstDivergence(a.trace_log, c.trace_log) < a.trace_log.size());
}

}  // namespace
}  // namespace faultline
