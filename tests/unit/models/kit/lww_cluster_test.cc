#include <catch2/catch.hpp>

#include "models/kit/lww_replica.h"
#include "sim/check/convergence.h"
#include "sim/check/lost_writes.h"
#include "sim/check/session.h"
#include "sim/check/lww_rule.h"
#include "sim/check/models.h"
#include "sim/history/jsonl.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit {
namespace {

using namespace literals;
using testing::KitRun;
using testing::ReplicaFactory;

ReplicaFactory Lww(LwwOptions o = {}) {
  return [o](Env& env, const KitConfig& c) { return std::make_unique<LwwReplica>(env, c, o); };
}

// Three replicas, three clients; r1 cut off from 1 s to 3 s; clients stop
// at 3.5 s; states sampled every 25 ms from the heal on.
std::unique_ptr<KitRun> PartitionedRun(uint64_t seed, LwwOptions o = {}) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3500_ms;
  auto run = std::make_unique<KitRun>(seed, 3, 3, Lww(o), w);
  KitRun* r = run.get();
  r->h.At(1_s, [r] { REQUIRE(r->Partition({{"r1"}, {"r2", "r3"}}).ok()); });
  r->h.At(3_s, [r] { REQUIRE(r->h.world.faults().Heal().ok()); });
  r->SampleEvery(25_ms, 3_s, 5_s);
  r->h.RunFor(5_s);
  return run;
}

TEST_CASE("lww: available through a partition, converged within a second of quiescence", "[kit][lww-mode]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    std::unique_ptr<KitRun> p = PartitionedRun(seed);
    KitRun& run = *p;
    // Healed at 3 s; quiet once the last operation ended (clients stop
    // starting new ones at 3.5 s).
    int64_t quiet = (3_s).nanos();
    for (const Op& op : run.history.history().ops) quiet = std::max(quiet, op.time_ns);
    CHECK(quiet < (4600_ms).nanos());
    ConvergenceResult c = CheckConverges(run.samples, quiet, (1_s).nanos());
    INFO(c.message);
    CHECK(c.verdict == Verdict::kOk);
    // Both sides of the partition kept taking writes: every client's
    // operations kept succeeding.
    Result<std::vector<Operation>> ops = PairOperations(run.history.history());
    REQUIRE(ops.ok());
    size_t ok_during = 0, writes = 0;
    for (const Operation& op : *ops) {
      const int64_t t = run.history.history().ops[static_cast<size_t>(op.call)].time_ns;
      ok_during += !op.info && t > (1_s).nanos() && t < (3_s).nanos();
      writes += op.f == "write";
    }
    CHECK(ok_during > 100);
    CHECK(writes > 50);
  }
}

TEST_CASE("lww: the same seed gives the same run and the same history", "[kit][lww-mode][determinism]") {
  std::unique_ptr<KitRun> a = PartitionedRun(7), b = PartitionedRun(7);
  CHECK(a->h.sim.trace_hash() == b->h.sim.trace_hash());
  CHECK(WriteJsonl(a->history.history()) == WriteJsonl(b->history.history()));
  std::unique_ptr<KitRun> c = PartitionedRun(8);
  CHECK(a->h.sim.trace_hash() != c->h.sim.trace_hash());
}

TEST_CASE("lww: not linearizable under a partition, and the checker finds it", "[kit][lww-mode]") {
  // Each side accepts writes the other cannot see: a read on one side
  // misses an acknowledged write on the other. Found from the history
  // alone, in most seeds.
  int found = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::unique_ptr<KitRun> run = PartitionedRun(seed);
    Result<std::vector<Operation>> ops = PairOperations(run->history.history());
    REQUIRE(ops.ok());
    Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("kv"), {}, {});
    REQUIRE(r.ok());
    found += r->verdict == Verdict::kViolation;
  }
  CHECK(found >= 4);
}

}  // namespace
}  // namespace faultline::kit

namespace faultline::kit {
namespace {

// No partition; r1's clock runs 300 ms behind from 0.5 s. Clients stop at
// 3 s. Returns the lost-writes verdict over the converged final state.
// Only a key's last writes can show as lost (an overwrite by a later write
// is legitimate), so many keys: each exposes its own ending.
LostWritesResult SkewedRun(uint64_t seed, bool hlc) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3_s;
  w.keys = 40;
  LwwOptions o;
  o.hlc = hlc;
  auto run = std::make_unique<KitRun>(seed, 3, 3, Lww(o), w);
  KitRun* r = run.get();
  r->h.At(500_ms, [r] { REQUIRE(r->h.world.faults().Skew(r->replica_ids[0], Duration::Millis(-300)).ok()); });
  r->SampleEvery(25_ms, 3_s, 5_s);
  r->h.RunFor(5_s);
  int64_t quiet = 0;
  for (const Op& op : r->history.history().ops) quiet = std::max(quiet, op.time_ns);
  ConvergenceResult c = CheckConverges(r->samples, quiet, (1_s).nanos());
  REQUIRE(c.verdict == Verdict::kOk);
  Result<std::vector<Operation>> ops = PairOperations(r->history.history());
  REQUIRE(ops.ok());
  return CheckNoLostWrites(*ops, r->samples.back().replicas[0].values);
}

TEST_CASE("lww: skew loses writes to earlier ones with wall clocks, hardly with HLC", "[kit][lww-mode][skew]") {
  size_t wall_earlier = 0, hlc_earlier = 0, acknowledged = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    LostWritesResult wall = SkewedRun(seed, false), h = SkewedRun(seed, true);
    INFO("seed " << seed << ": wall " << wall.message << "; hlc " << h.message);
    CHECK(wall.phantoms.empty());
    CHECK(h.phantoms.empty());
    wall_earlier += wall.Count(LostWrite::kEarlier);
    hlc_earlier += h.Count(LostWrite::kEarlier);
    acknowledged += wall.acknowledged;
  }
  INFO("lost to earlier writes over 5 seeds: wall " << wall_earlier << ", hlc " << hlc_earlier << " of ~"
                                                   << acknowledged << " acknowledged");
  CHECK(wall_earlier >= 10);
  CHECK(hlc_earlier * 5 <= wall_earlier);
}

}  // namespace
}  // namespace faultline::kit

namespace faultline::kit {
namespace {

TEST_CASE("lww: sessions that stay on one replica keep their guarantees", "[kit][lww-mode][session]") {
  // No faults: every client keeps its home replica, whose own writes and
  // reads are in order; the session checker must find nothing (and it
  // runs on real histories with hundreds of operations).
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    KvWorkloadOptions w;
    w.stop = Time::Zero() + 2_s;
    KitRun run(seed, 3, 3, Lww(), w);
    run.h.RunFor(3_s);
    Result<std::vector<Operation>> ops = PairOperations(run.history.history());
    REQUIRE(ops.ok());
    CHECK(ops->size() > 200);
    SessionResult s = CheckSessions(*ops);
    INFO(s.message);
    CHECK(s.verdict == Verdict::kOk);
  }
}

}  // namespace
}  // namespace faultline::kit

namespace faultline::kit {
namespace {

// r3's clock 200 ms ahead from 0.5 s: the others' HLCs adopt its physical
// time and count on in the logical part, so equal (physical, logical)
// pairs from different nodes happen (only the node tiebreak orders them).
// Clients stop at 3 s; the lww-rule verdict over r1's converged state.
LwwRuleResult RuleRun(uint64_t seed, LwwOptions o) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3_s;
  w.keys = 5;
  w.think = 2_ms;
  auto run = std::make_unique<KitRun>(seed, 3, 6, Lww(o), w);
  KitRun* r = run.get();
  r->h.At(500_ms, [r] { REQUIRE(r->h.world.faults().Skew(r->replica_ids[2], Duration::Millis(200)).ok()); });
  run->h.RunFor(5_s);
  Result<std::vector<Operation>> ops = PairOperations(run->history.history());
  REQUIRE(ops.ok());
  auto* r1 = dynamic_cast<Replica*>(run->h.cluster.service(run->replica_ids[0]));
  REQUIRE(r1 != nullptr);
  return CheckLwwRule(*ops, r1->Snapshot());
}

TEST_CASE("lww: each key ends with its greatest write, the planted missing tiebreak is caught", "[kit][lww-mode][planted]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    LwwRuleResult r = RuleRun(seed, LwwOptions{});
    INFO(r.message);
    CHECK(r.verdict == Verdict::kOk);
  }
  LwwOptions bug;
  bug.tiebreak = false;
  uint64_t caught_at = 0;
  for (uint64_t seed = 1; seed <= 20 && caught_at == 0; ++seed) {
    if (RuleRun(seed, bug).verdict == Verdict::kViolation) caught_at = seed;
  }
  INFO("caught at seed " << caught_at);
  CHECK(caught_at != 0);
}

}  // namespace
}  // namespace faultline::kit
