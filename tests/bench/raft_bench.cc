// Issue 4's performance figure: a 5-node raft cluster under a closed-loop
// workload of about 1,000 operations per virtual second with random faults,
// run for 10 virtual seconds. Reports virtual seconds simulated per wall
// second (`sim_per_wall`, target >= 1000) and the operations per virtual
// second achieved; BM_RaftCheck reports the linearizability checker's time
// on the resulting history. BM_ClientFloor runs the same clients and
// faults against replicas that answer at once, without replication: the
// ceiling of the ratio for any mode on this engine.
//
//   build/tests/bench/raft_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "models/kit/kv_machine.h"
#include "models/kit/raft_replica.h"
#include "sim/check/models.h"
#include "sim/core/rng.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit {
namespace {

using namespace literals;
using testing::KitRun;

constexpr Duration kRun = Duration::Seconds(10);

// Every 500 ms from 0.5 s, one fault for 300 ms: random halves of the
// replicas, or a replica crashed (torn) and restarted, or a skewed clock.
void Nemesis(KitRun* r, uint64_t seed) {
  auto rng = std::make_shared<Rng>(seed);
  for (Duration at = 500_ms; at < kRun; at = at + 500_ms) {
    r->h.At(at, [r, rng, at] {
      const size_t victim = rng->Uniform(r->replica_ids.size());
      switch (rng->Uniform(3)) {
        case 0: {
          std::vector<std::string> a, b;
          for (size_t i = 0; i < r->replica_ids.size(); ++i) {
            (rng->Chance(1, 2) ? a : b).push_back(r->config.ReplicaName(static_cast<int>(i)));
          }
          (void)r->Partition({a, b});
          r->h.At(at + 300_ms, [r] { (void)r->h.world.faults().Heal(); });
          break;
        }
        case 1: {
          const NodeId id = r->replica_ids[victim];
          (void)r->h.world.faults().Crash(id, CrashDisk::kTorn);
          r->h.At(at + 300_ms, [r, id] { (void)r->h.world.faults().Restart(id); });
          break;
        }
        default:
          (void)r->h.world.faults().Skew(r->replica_ids[victim], Duration::Millis(rng->Range(-500, 500)));
          break;
      }
    });
  }
}

// Answers every request from its own state at once: no replication, no
// disk. What a run of it costs is the clients, their RPCs, the history and
// the engine: the floor that every replicated mode pays per operation on
// top of its own protocol.
class LocalReplica final : public Replica {
 public:
  explicit LocalReplica(Env& env) : env_(env) {
    env_.Handle<KvRequest, KvResponse>("kv", [this](NodeId, const KvRequest& r) -> Result<KvResponse> {
      if (r.op() == KvRequest::GET) return machine_.Get(r.key());
      return machine_.Apply(r, ++version_);
    });
  }
  Role role() const override { return Role::kLeader; }
  ReplicaState Snapshot() const override {
    ReplicaState s{env_.name(), "leader", true, {}, {}};
    machine_.Fill(&s);
    return s;
  }

 private:
  Env& env_;
  KvMachine machine_;
  uint64_t version_ = 0;
};

std::unique_ptr<Replica> Raft(Env& env, const KitConfig& c) { return std::make_unique<RaftReplica>(env, c, RaftOptions{}); }
std::unique_ptr<Replica> Local(Env& env, const KitConfig&) { return std::make_unique<LocalReplica>(env); }

std::unique_ptr<KitRun> Run(uint64_t seed, const testing::ReplicaFactory& replica) {
  KvWorkloadOptions w;
  w.keys = 20;
  w.think = 20_ms;
  auto run = std::make_unique<KitRun>(seed, 5, 25, replica, w);
  Nemesis(run.get(), seed);
  return run;
}

void BM_Cluster(benchmark::State& state, const testing::ReplicaFactory& replica) {
  uint64_t seed = 1;
  double virtual_s = 0, ops = 0, events = 0, messages = 0;
  for (auto _ : state) {
    std::unique_ptr<KitRun> run = Run(seed++, replica);
    run->h.RunFor(kRun);
    virtual_s += static_cast<double>(kRun.nanos()) / 1e9;
    for (const Op& op : run->history.history().ops) ops += op.type == OpType::kOk;
    events += static_cast<double>(run->h.sim.events_executed());
    messages += static_cast<double>(run->h.world.network().stats().sent);
  }
  state.counters["sim_per_wall"] = benchmark::Counter(virtual_s, benchmark::Counter::kIsRate);
  state.counters["ok_ops_per_virtual_s"] = ops / virtual_s;
  // The work per operation, which is what the wall time per operation buys.
  state.counters["events_per_ok_op"] = events / ops;
  state.counters["messages_per_ok_op"] = messages / ops;
}
BENCHMARK_CAPTURE(BM_Cluster, raft, Raft)->Name("BM_RaftCluster")->Unit(benchmark::kMillisecond)->UseRealTime();
// The same clients, workload and faults against replicas that answer at
// once (LocalReplica): the ceiling for any mode of this kit on this engine.
BENCHMARK_CAPTURE(BM_Cluster, floor, Local)->Name("BM_ClientFloor")->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_RaftCheck(benchmark::State& state) {
  std::unique_ptr<KitRun> run = Run(1, Raft);
  run->h.RunFor(kRun);
  Result<std::vector<Operation>> ops = PairOperations(run->history.history());
  if (!ops.ok()) std::abort();
  uint64_t steps = 0, unseen = 0, infos = 0, segments = 0;
  for (const Operation& op : *ops) infos += op.info;
  for (auto _ : state) {
    Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("kv"), {}, {});
    if (!r.ok() || r->verdict != Verdict::kOk) std::abort();  // raft must stay linearizable
    steps = unseen = segments = 0;
    for (const PartitionResult& p : r->partitions) {
      steps += p.steps;
      unseen += p.unseen_infos;
      segments += p.segments;
    }
  }
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["unseen"] = static_cast<double>(unseen);
  state.counters["infos"] = static_cast<double>(infos);
  state.counters["segments"] = static_cast<double>(segments);
  state.counters["operations"] = static_cast<double>(ops->size());
}
BENCHMARK(BM_RaftCheck)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace faultline::kit

BENCHMARK_MAIN();
