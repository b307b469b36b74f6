#include <catch2/catch.hpp>

#include "models/kit/crdt_replica.h"
#include "models/kit/crdt_workload.h"
#include "sim/check/convergence.h"
#include "sim/check/crdt_merge.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit {
namespace {

using namespace literals;
using testing::KitRun;

struct Outcome {
  ConvergenceResult converged;
  CrdtMergeResult merged;
  size_t operations = 0;
};

// Three replicas and three clients over registers, sets and counters: r1
// cut off from 1 s to 3 s, r2 crashed (torn unsynced writes) at 1.5 s and
// back at 2 s; clients stop at 3.5 s.
Outcome Run(uint64_t seed, CrdtOptions o = {}) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3500_ms;
  auto run = std::make_unique<KitRun>(
      seed, 3, 3, [o](Env& env, const KitConfig& c) { return std::make_unique<CrdtReplica>(env, c, o); },
      [w](Env& env, HistoryRecorder& h, const KitConfig& c, int i) {
        return std::make_unique<CrdtWorkload>(env, h, c, i, w);
      });
  KitRun* r = run.get();
  r->h.At(1_s, [r] { REQUIRE(r->Partition({{"r1"}, {"r2", "r3"}}).ok()); });
  r->h.At(1500_ms, [r] { REQUIRE(r->h.world.faults().Crash(r->replica_ids[1], CrashDisk::kTorn).ok()); });
  r->h.At(2_s, [r] { REQUIRE(r->h.world.faults().Restart(r->replica_ids[1]).ok()); });
  r->h.At(3_s, [r] { REQUIRE(r->h.world.faults().Heal().ok()); });
  r->SampleEvery(25_ms, 3_s, 6_s);
  r->h.RunFor(6_s);
  int64_t quiet = (3_s).nanos();
  for (const Op& op : r->history.history().ops) quiet = std::max(quiet, op.time_ns);
  Outcome out;
  out.converged = CheckConverges(r->samples, quiet, (1_s).nanos());
  Result<std::vector<Operation>> ops = PairOperations(r->history.history());
  REQUIRE(ops.ok());
  out.operations = ops->size();
  auto* r1 = dynamic_cast<CrdtReplica*>(r->h.cluster.service(r->replica_ids[0]));
  REQUIRE(r1 != nullptr);
  out.merged = CheckCrdtMerge(*ops, r1->Values());
  return out;
}

TEST_CASE("crdt: converges after partition and crash, with no effect lost", "[kit][crdt-mode]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Outcome o = Run(seed);
    INFO("seed " << seed << ": " << o.converged.message << "; " << o.merged.message);
    CHECK(o.operations > 300);
    CHECK(o.converged.verdict == Verdict::kOk);
    CHECK(o.merged.verdict == Verdict::kOk);
  }
}

TEST_CASE("crdt: the planted non-idempotent merge is caught by crdt-merge", "[kit][crdt-mode][planted]") {
  CrdtOptions bug;
  bug.idempotent_merge = false;
  uint64_t caught_at = 0;
  for (uint64_t seed = 1; seed <= 10 && caught_at == 0; ++seed) {
    if (Run(seed, bug).merged.verdict == Verdict::kViolation) caught_at = seed;
  }
  INFO("caught at seed " << caught_at);
  CHECK(caught_at != 0);
  CHECK(caught_at <= 3);
}

}  // namespace
}  // namespace faultline::kit
