// The consistency kit's expected-behaviour table (issue 4): each mode
// under partition, crash + restart and clock skew, judged by the checkers
// from the history and the sampled replica states, never from knowledge of
// the mode. Shared by the sweep (tests/bench/kit_table.cc, 200 seeds) and
// the CI test (kit_table_test.cc, a few seeds per row).
//
// Each run: 3 replicas, 3 clients on 10 keys (each operation starts at the
// client's home replica), the fault at 1 s aimed at the leader or primary
// (r1 where every replica leads), clients stop at 3.5 s, states sampled
// every 5 ms until 6 s.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "models/kit/crdt_replica.h"
#include "models/kit/crdt_workload.h"
#include "models/kit/lease_replica.h"
#include "models/kit/lww_replica.h"
#include "models/kit/raft_replica.h"
#include "sim/check/convergence.h"
#include "sim/check/crdt_merge.h"
#include "sim/check/lost_writes.h"
#include "sim/check/models.h"
#include "sim/check/split_brain.h"
#include "sim/core/strings.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit::testing {

using namespace literals;

enum class Fault { kPartition, kCrash, kSkew };
inline const char* FaultName(Fault f) { return f == Fault::kPartition ? "partition" : f == Fault::kCrash ? "crash + restart" : "clock skew"; }

struct Row {
  std::string mode;
  Fault fault;
  int seeds = 0;
  int not_linearizable = 0, converged = 0, lost_any = 0, crdt_ok = 0, split_brain = 0;
  size_t lost_concurrent = 0, lost_earlier = 0, acknowledged = 0;
  std::vector<double> first_violation_s;  // per seed with a linearizability violation
};

// The replica that leads at this moment, or r1 where every replica does.
inline size_t Target(KitRun* r) {
  for (size_t i = 0; i < r->replica_ids.size(); ++i) {
    auto* rep = dynamic_cast<Replica*>(r->h.cluster.service(r->replica_ids[i]));
    if (rep != nullptr && (rep->role() == Role::kLeader || rep->role() == Role::kPrimary)) return i;
  }
  return 0;
}

inline void Inject(KitRun* r, Fault f) {
  r->h.At(1_s, [r, f] {
    const size_t t = Target(r);
    const NodeId id = r->replica_ids[t];
    const std::string alone = r->config.ReplicaName(static_cast<int>(t));
    auto& faults = r->h.world.faults();
    switch (f) {
      case Fault::kPartition:  // alone from 1 s to 3 s
        (void)r->Partition({{alone}, r->Others(t)});
        r->h.At(3_s, [r] { (void)r->h.world.faults().Heal(); });
        break;
      case Fault::kCrash:  // down from 1 s to 2 s, torn unsynced writes
        (void)faults.Crash(id, CrashDisk::kTorn);
        r->h.At(2_s, [r, id] { (void)r->h.world.faults().Restart(id); });
        break;
      case Fault::kSkew: {  // 500 ms behind, the next replica 500 ms ahead; cut off 1.5-1.9 s
        (void)faults.Skew(id, Duration::Millis(-500));
        (void)faults.Skew(r->replica_ids[(t + 2) % r->replica_ids.size()], Duration::Millis(500));
        std::vector<std::string> rest = r->Others(t);
        r->h.At(1500_ms, [r, alone, rest] { (void)r->Partition({{alone}, rest}); });
        r->h.At(1900_ms, [r] { (void)r->h.world.faults().Heal(); });
        break;
      }
    }
  });
}

// The first violation's virtual time: the invocation of the earliest
// operation that could not be linearized.
inline double FirstViolation(const CheckResult& r, const History& h, const std::vector<Operation>& ops) {
  int64_t first = INT64_MAX;
  for (const PartitionResult& p : r.partitions) {
    for (size_t id : p.stuck) first = std::min(first, h.ops[static_cast<size_t>(ops[id].call)].time_ns);
  }
  return static_cast<double>(first) / 1e9;
}

enum class Kind { kRaft, kLease, kLww, kCrdt };

inline void RunOne(Row& row, uint64_t seed, Kind kind, LwwOptions lww) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3500_ms;
  w.keys = 10;
  w.start_at_home = true;
  std::unique_ptr<KitRun> run;
  const bool crdt = kind == Kind::kCrdt;
  switch (kind) {
    case Kind::kCrdt:
      run = std::make_unique<KitRun>(
          seed, 3, 3, [](Env& env, const KitConfig& c) { return std::make_unique<CrdtReplica>(env, c, CrdtOptions{}); },
          [w](Env& env, HistoryRecorder& h, const KitConfig& c, int i) { return std::make_unique<CrdtWorkload>(env, h, c, i, w); });
      break;
    case Kind::kLww:
      run = std::make_unique<KitRun>(
          seed, 3, 3, [lww](Env& env, const KitConfig& c) { return std::make_unique<LwwReplica>(env, c, lww); }, w);
      break;
    case Kind::kRaft:
      run = std::make_unique<KitRun>(
          seed, 3, 3,
          [](Env& env, const KitConfig& c) {
            RaftOptions o;
            o.snapshot_every = 25;  // compaction and snapshot installs under every fault of the table
            return std::make_unique<RaftReplica>(env, c, o);
          },
          w);
      break;
    case Kind::kLease:
      run = std::make_unique<KitRun>(
          seed, 3, 3, [](Env& env, const KitConfig& c) { return std::make_unique<LeaseReplica>(env, c, LeaseOptions{}); }, w);
      break;
  }
  KitRun* r = run.get();
  Inject(r, row.fault);
  r->SampleEvery(5_ms, 0_s, 6_s);
  r->h.RunFor(6_s);
  ++row.seeds;
  const History& h = r->history.history();
  Result<std::vector<Operation>> ops = PairOperations(h);
  if (!ops.ok()) std::abort();
  int64_t quiet = (3_s).nanos();
  for (const Op& op : h.ops) quiet = std::max(quiet, op.time_ns);
  row.converged += CheckConverges(r->samples, quiet, (1_s).nanos()).verdict == Verdict::kOk;
  row.split_brain += CheckSplitBrain(RoleSpans(r->samples), h, *ops).verdict == Verdict::kViolation;
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

inline double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}


struct TableMode {
  const char* name;
  Kind kind;
  LwwOptions lww;
};
// The table's rows, in order: each mode under each fault.
inline std::vector<TableMode> TableModes() {
  return {TableMode{"raft", Kind::kRaft, {}}, TableMode{"lease", Kind::kLease, {}},
          TableMode{"lww (wall)", Kind::kLww, {false, true, Duration::Millis(200)}},
          TableMode{"lww (hlc)", Kind::kLww, {true, true, Duration::Millis(200)}},
          TableMode{"crdt", Kind::kCrdt, {}}};
}
inline constexpr Fault kFaults[] = {Fault::kPartition, Fault::kCrash, Fault::kSkew};

// One row over seeds 1..seeds.
inline Row RunRow(const TableMode& m, Fault f, int seeds) {
  Row row{m.name, f};
  for (int s = 1; s <= seeds; ++s) RunOne(row, static_cast<uint64_t>(s), m.kind, m.lww);
  return row;
}

}  // namespace faultline::kit::testing
