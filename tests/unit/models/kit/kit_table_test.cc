// The expected-behaviour table, each row over a few seeds (the
// sweep over 200 is tests/bench/kit_table.cc, same code). Every expectation
// is a checker's verdict on the history and the sampled states.
#include <catch2/catch.hpp>

#include "tests/unit/models/kit/kit_table.h"

namespace faultline::kit::testing {
namespace {

constexpr int kSeeds = 8;

const TableMode& ModeNamed(const std::string& name) {
  static const std::vector<TableMode> modes = TableModes();
  for (const TableMode& m : modes) {
    if (name == m.name) return m;
  }
  FAIL("no mode " << name);
  return modes.front();
}

std::string Describe(const Row& r) {
  return Cat(r.mode, " / ", FaultName(r.fault), ": ", r.seeds, " seeds, not linearizable ", r.not_linearizable,
             ", split-brain ", r.split_brain, ", converged ", r.converged, ", lost to earlier ", r.lost_earlier,
             ", crdt-merge ok ", r.crdt_ok);
}

TEST_CASE("kit table: raft is linearizable, one leader at a time, and converges under every fault", "[kit][table]") {
  for (Fault f : kFaults) {
    const Row r = RunRow(ModeNamed("raft"), f, kSeeds);
    INFO(Describe(r));
    CHECK(r.not_linearizable == 0);
    CHECK(r.split_brain == 0);
    CHECK(r.converged == kSeeds);
  }
}

TEST_CASE("kit table: lease is linearizable and converges under partition and crash, skew beyond the guard splits its brain", "[kit][table]") {
  for (Fault f : {Fault::kPartition, Fault::kCrash}) {
    const Row r = RunRow(ModeNamed("lease"), f, kSeeds);
    INFO(Describe(r));
    CHECK(r.not_linearizable == 0);
    CHECK(r.split_brain == 0);
    // Backups that missed writes catch up from the primary, so r1's final
    // state holds every acknowledged write.
    CHECK(r.converged == kSeeds);
    CHECK(r.lost_earlier == 0);
  }
  const Row skew = RunRow(ModeNamed("lease"), Fault::kSkew, kSeeds);
  INFO(Describe(skew));
  CHECK(skew.split_brain >= 1);
  CHECK(skew.not_linearizable >= 1);
}

TEST_CASE("kit table: lww is not linearizable under partition, converges always, wall clocks lose more to skew than HLC", "[kit][table]") {
  size_t lost_to_earlier[2] = {0, 0};
  for (int hlc = 0; hlc < 2; ++hlc) {
    const TableMode& m = ModeNamed(hlc ? "lww (hlc)" : "lww (wall)");
    for (Fault f : kFaults) {
      const Row r = RunRow(m, f, kSeeds);
      INFO(Describe(r));
      CHECK(r.converged == kSeeds);
      if (f == Fault::kPartition) CHECK(r.not_linearizable == kSeeds);
      if (f == Fault::kSkew) lost_to_earlier[hlc] = r.lost_earlier;
    }
  }
  INFO("lost to earlier writes under skew: wall " << lost_to_earlier[0] << ", hlc " << lost_to_earlier[1]);
  CHECK(lost_to_earlier[0] > 0);
  CHECK(lost_to_earlier[1] < lost_to_earlier[0]);
}

TEST_CASE("kit table: crdt converges and loses no effect under every fault", "[kit][table]") {
  for (Fault f : kFaults) {
    const Row r = RunRow(ModeNamed("crdt"), f, kSeeds);
    INFO(Describe(r));
    CHECK(r.converged == kSeeds);
    CHECK(r.crdt_ok == kSeeds);
  }
}

}  // namespace
}  // namespace faultline::kit::testing
