// The expected-behaviour table of the consistency kit (issue 4) over many
// seeds: for each mode and fault, the fraction of seeds in which the
// checkers find what the mode is expected to show, and the median virtual
// time to the first violation. Not a speed benchmark: a sweep whose output
// is quoted in docs/performance.md and docs/consistency-modes.md.
//
//   build/tests/bench/kit_table [SEEDS]     (default 200)
//
// Each run: 3 replicas, 3 clients, faults from 1 s to 3 s, clients stop at
// 3.5 s, states sampled every 25 ms until 6 s. Everything is judged from
// the history and the sampled states, never from knowledge of the mode.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/kit/crdt_replica.h"
#include "models/kit/crdt_workload.h"
#include "models/kit/lww_replica.h"
#include "sim/check/convergence.h"
#include "sim/check/crdt_merge.h"
#include "sim/check/lost_writes.h"
#include "sim/check/models.h"
#include "sim/core/strings.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit {
namespace {

using namespace literals;
using testing::KitRun;

enum class Fault { kPartition, kCrash, kSkew };
const char* FaultName(Fault f) { return f == Fault::kPartition ? "partition" : f == Fault::kCrash ? "crash + restart" : "clock skew"; }

struct Row {
  std::string mode;
  Fault fault;
  int seeds = 0;
  int not_linearizable = 0, converged = 0, lost_any = 0, crdt_ok = 0;
  size_t lost_concurrent = 0, lost_earlier = 0, acknowledged = 0;
  std::vector<double> first_violation_s;  // per seed with a linearizability violation
};

void Inject(KitRun* r, Fault f) {
  switch (f) {
    case Fault::kPartition:
      r->h.At(1_s, [r] { (void)r->Partition({{"r1"}, {"r2", "r3"}}); });
      r->h.At(3_s, [r] { (void)r->h.world.faults().Heal(); });
      break;
    case Fault::kCrash:
      r->h.At(1_s, [r] { (void)r->h.world.faults().Crash(r->replica_ids[0], CrashDisk::kTorn); });
      r->h.At(2_s, [r] { (void)r->h.world.faults().Restart(r->replica_ids[0]); });
      break;
    case Fault::kSkew:  // r1 500 ms behind, r3 500 ms ahead: beyond any guard
      r->h.At(1_s, [r] {
        (void)r->h.world.faults().Skew(r->replica_ids[0], Duration::Millis(-500));
        (void)r->h.world.faults().Skew(r->replica_ids[2], Duration::Millis(500));
      });
      break;
  }
}

// The first violation's virtual time: the invocation of the earliest
// operation that could not be linearized.
double FirstViolation(const CheckResult& r, const History& h, const std::vector<Operation>& ops) {
  int64_t first = INT64_MAX;
  for (const PartitionResult& p : r.partitions) {
    for (size_t id : p.stuck) first = std::min(first, h.ops[static_cast<size_t>(ops[id].call)].time_ns);
  }
  return static_cast<double>(first) / 1e9;
}

void RunOne(Row& row, uint64_t seed, bool crdt, LwwOptions lww) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3500_ms;
  w.keys = 10;
  std::unique_ptr<KitRun> run;
  if (crdt) {
    run = std::make_unique<KitRun>(
        seed, 3, 3, [](Env& env, const KitConfig& c) { return std::make_unique<CrdtReplica>(env, c, CrdtOptions{}); },
        [w](Env& env, HistoryRecorder& h, const KitConfig& c, int i) { return std::make_unique<CrdtWorkload>(env, h, c, i, w); });
  } else {
    run = std::make_unique<KitRun>(
        seed, 3, 3, [lww](Env& env, const KitConfig& c) { return std::make_unique<LwwReplica>(env, c, lww); }, w);
  }
  KitRun* r = run.get();
  Inject(r, row.fault);
  r->SampleEvery(25_ms, 3_s, 6_s);
  r->h.RunFor(6_s);
  ++row.seeds;
  const History& h = r->history.history();
  Result<std::vector<Operation>> ops = PairOperations(h);
  if (!ops.ok()) std::abort();
  int64_t quiet = (3_s).nanos();
  for (const Op& op : h.ops) quiet = std::max(quiet, op.time_ns);
  row.converged += CheckConverges(r->samples, quiet, (1_s).nanos()).verdict == Verdict::kOk;
  if (crdt) {
    auto* r1 = dynamic_cast<CrdtReplica*>(r->h.cluster.service(r->replica_ids[0]));
    row.crdt_ok += r1 != nullptr && CheckCrdtMerge(*ops, r1->Values()).verdict == Verdict::kOk;
    return;
  }
  Result<CheckResult> lin = CheckLinearizable(*ops, **FindModel("kv"), {}, {});
  if (lin.ok() && lin->verdict == Verdict::kViolation) {
    ++row.not_linearizable;
    row.first_violation_s.push_back(FirstViolation(*lin, h, *ops));
  }
  LostWritesResult lost = CheckNoLostWrites(*ops, r->samples.back().replicas[0].values);
  row.lost_any += !lost.lost.empty();
  row.lost_concurrent += lost.Count(LostWrite::kConcurrent);
  row.lost_earlier += lost.Count(LostWrite::kEarlier);
  row.acknowledged += lost.acknowledged;
}

double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace
}  // namespace faultline::kit

int main(int argc, char** argv) {
  using namespace faultline::kit;
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 200;
  std::printf("| mode | fault | seeds | not linearizable | median time to first violation | converged | lost writes (seeds; concurrent / to earlier, of acknowledged) | crdt-merge ok |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  struct Mode {
    const char* name;
    bool crdt;
    faultline::kit::LwwOptions lww;
  };
  for (const Mode& m : {Mode{"lww (wall)", false, {false, true, faultline::Duration::Millis(200)}},
                        Mode{"lww (hlc)", false, {true, true, faultline::Duration::Millis(200)}},
                        Mode{"crdt", true, {}}}) {
    for (Fault f : {Fault::kPartition, Fault::kCrash, Fault::kSkew}) {
      Row row{m.name, f};
      for (int s = 1; s <= seeds; ++s) RunOne(row, static_cast<uint64_t>(s), m.crdt, m.lww);
      auto pct = [&](int n) { return 100.0 * n / row.seeds; };
      if (m.crdt) {
        std::printf("| %s | %s | %d | — | — | %.0f%% | — | %.0f%% |\n", m.name, FaultName(f), row.seeds,
                    pct(row.converged), pct(row.crdt_ok));
      } else {
        const double median = Median(row.first_violation_s);
        const std::string first = median < 0 ? "—" : faultline::Cat(static_cast<int64_t>(median * 1000), " ms");
        std::printf("| %s | %s | %d | %.0f%% | %s | %.0f%% | %.0f%%; %zu / %zu of %zu | — |\n", m.name, FaultName(f),
                    row.seeds, pct(row.not_linearizable), first.c_str(), pct(row.converged),
                    pct(row.lost_any), row.lost_concurrent, row.lost_earlier, row.acknowledged);
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
