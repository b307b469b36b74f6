#include <catch2/catch.hpp>

#include "models/kit/raft_replica.h"
#include "sim/check/convergence.h"
#include "sim/check/models.h"
#include "sim/check/split_brain.h"
#include "sim/core/rng.h"
#include "sim/history/jsonl.h"
#include "tests/unit/models/kit/kit_harness.h"

namespace faultline::kit {
namespace {

using namespace literals;
using testing::KitRun;
using testing::ReplicaFactory;

ReplicaFactory Raft(RaftOptions o = {}) {
  return [o](Env& env, const KitConfig& c) { return std::make_unique<RaftReplica>(env, c, o); };
}

// The replica that leads now (the highest term if two think so), or none.
std::optional<size_t> Leader(KitRun& run) {
  std::optional<size_t> best;
  uint64_t term = 0;
  for (size_t i = 0; i < run.replica_ids.size(); ++i) {
    auto* r = dynamic_cast<RaftReplica*>(run.h.cluster.service(run.replica_ids[i]));
    if (r != nullptr && r->role() == Role::kLeader && r->term() >= term) {
      best = i;
      term = r->term();
    }
  }
  return best;
}

Verdict Linearizable(KitRun& run, std::string* why = nullptr) {
  Result<std::vector<Operation>> ops = PairOperations(run.history.history());
  REQUIRE(ops.ok());
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("kv"), {}, {});
  REQUIRE(r.ok());
  if (why != nullptr) {
    for (const PartitionResult& p : r->partitions) {
      if (p.verdict == Verdict::kViolation) *why = Cat("key ", p.key, ": ", p.stuck.size(), " stuck");
    }
  }
  return r->verdict;
}

// Operations acknowledged (ok) by `node` among those invoked in [from, to).
size_t OkServedBy(KitRun& run, const std::string& node, Duration from, Duration to) {
  Result<std::vector<Operation>> ops = PairOperations(run.history.history());
  REQUIRE(ops.ok());
  const History& h = run.history.history();
  size_t n = 0;
  for (const Operation& op : *ops) {
    if (op.info || op.complete_index < 0) continue;
    const Op& call = h.ops[static_cast<size_t>(op.call)];
    const Op& done = h.ops[static_cast<size_t>(op.ret)];
    n += done.type == OpType::kOk && done.node == node && call.time_ns >= from.nanos() && call.time_ns < to.nanos();
  }
  return n;
}

TEST_CASE("raft: a calm cluster elects a leader, serves, stays linearizable and agrees", "[kit][raft-mode]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    KvWorkloadOptions w;
    w.stop = Time::Zero() + 2_s;
    KitRun run(seed, 3, 3, Raft(), w);
    run.SampleEvery(50_ms, 2500_ms, 3_s);
    run.h.RunFor(3_s);
    Result<std::vector<Operation>> ops = PairOperations(run.history.history());
    REQUIRE(ops.ok());
    size_t ok = 0;
    for (const Operation& op : *ops) ok += !op.info;
    CHECK(ok > 150);
    CHECK(Linearizable(run) == Verdict::kOk);
    ConvergenceResult c = CheckConverges(run.samples, (2200_ms).nanos(), (500_ms).nanos());
    INFO(c.message);
    CHECK(c.verdict == Verdict::kOk);
  }
}

// Five replicas; at 1 s the leader and one follower are cut off from the
// other three (clients reach everyone) until 3 s; clients stop at 3.5 s.
struct Partitioned {
  std::unique_ptr<KitRun> run;
  std::string old_leader, companion;
};

Partitioned PartitionLeader(uint64_t seed) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 3500_ms;
  Partitioned p{std::make_unique<KitRun>(seed, 5, 4, Raft(), w), "", ""};
  KitRun* r = p.run.get();
  r->h.At(1_s, [r, &p] {
    std::optional<size_t> leader = Leader(*r);
    REQUIRE(leader.has_value());
    const size_t other = (*leader + 1) % 5;
    p.old_leader = r->config.ReplicaName(static_cast<int>(*leader));
    p.companion = r->config.ReplicaName(static_cast<int>(other));
    std::vector<std::string> rest;
    for (size_t i = 0; i < 5; ++i) {
      if (i != *leader && i != other) rest.push_back(r->config.ReplicaName(static_cast<int>(i)));
    }
    REQUIRE(r->Partition({{p.old_leader, p.companion}, rest}).ok());
  });
  r->h.At(3_s, [r] { REQUIRE(r->h.world.faults().Heal().ok()); });
  r->SampleEvery(50_ms, 4_s, 5_s);
  r->h.RunFor(5_s);
  return p;
}

TEST_CASE("raft: the minority side of a partition serves nothing, the majority goes on, linearizable", "[kit][raft-mode]") {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Partitioned p = PartitionLeader(seed);
    KitRun& run = *p.run;
    INFO("old leader " << p.old_leader << ", with " << p.companion);
    // An operation invoked after the cut and acknowledged by the minority
    // would need a majority it cannot reach.
    CHECK(OkServedBy(run, p.old_leader, 1_s, 3_s) == 0);
    CHECK(OkServedBy(run, p.companion, 1_s, 3_s) == 0);
    // The majority elects a leader within an election timeout or two and serves.
    std::optional<size_t> now = Leader(run);
    REQUIRE(now.has_value());
    size_t majority_served = 0;
    for (int i = 0; i < 5; ++i) {
      const std::string name = run.config.ReplicaName(i);
      if (name != p.old_leader && name != p.companion) majority_served += OkServedBy(run, name, 1500_ms, 3_s);
    }
    CHECK(majority_served > 100);
    std::string why;
    CHECK(Linearizable(run, &why) == Verdict::kOk);
    INFO(why);
    ConvergenceResult c = CheckConverges(run.samples, (4_s).nanos(), (1_s).nanos());
    INFO(c.message);
    CHECK(c.verdict == Verdict::kOk);
  }
}

TEST_CASE("raft: the same seed gives the same run", "[kit][raft-mode][determinism]") {
  Partitioned a = PartitionLeader(11), b = PartitionLeader(11), c = PartitionLeader(12);
  CHECK(a.run->h.sim.trace_hash() == b.run->h.sim.trace_hash());
  CHECK(WriteJsonl(a.run->history.history()) == WriteJsonl(b.run->history.history()));
  CHECK(a.run->h.sim.trace_hash() != c.run->h.sim.trace_hash());
}

// Three replicas; every `period` from 0.5 s one replica, or with
// `all_at_once` every replica, crashes with torn unsynced writes and
// restarts 300 ms later. Clients stop at 4 s.
std::unique_ptr<KitRun> CrashRun(uint64_t seed, RaftOptions o, bool all_at_once) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 4_s;
  auto run = std::make_unique<KitRun>(seed, 3, 3, Raft(o), w);
  KitRun* r = run.get();
  for (int k = 0; k < 6; ++k) {
    const Duration at = 500_ms + Duration::Millis(600) * k;
    r->h.At(at, [r, k, all_at_once] {
      for (size_t i = 0; i < 3; ++i) {
        if (all_at_once || i == static_cast<size_t>(k) % 3) {
          REQUIRE(r->h.world.faults().Crash(r->replica_ids[i], CrashDisk::kTorn).ok());
        }
      }
    });
    r->h.At(at + 300_ms, [r, k, all_at_once] {
      for (size_t i = 0; i < 3; ++i) {
        if (all_at_once || i == static_cast<size_t>(k) % 3) REQUIRE(r->h.world.faults().Restart(r->replica_ids[i]).ok());
      }
    });
  }
  r->h.RunFor(5_s);
  return run;
}

// Compacting every 10 applied entries: restarts recover from snapshots,
// and replicas that missed compacted entries get the leader's.
RaftOptions Compacting() {
  RaftOptions o;
  o.snapshot_every = 10;
  return o;
}

// Every replica's snapshot index, 0 for one that is down.
std::vector<uint64_t> SnapshotIndices(KitRun& run) {
  std::vector<uint64_t> out;
  for (NodeId id : run.replica_ids) {
    auto* r = dynamic_cast<RaftReplica*>(run.h.cluster.service(id));
    out.push_back(r == nullptr ? 0 : r->snapshot_index());
  }
  return out;
}

TEST_CASE("raft: linearizable through crashes with torn unsynced writes", "[kit][raft-mode][crash]") {
  for (bool all : {false, true}) {
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      const bool compacting = seed > 3;
      INFO("seed " << seed << (all ? ", all at once" : ", one at a time") << (compacting ? ", compacting" : ""));
      std::unique_ptr<KitRun> run = CrashRun(seed, compacting ? Compacting() : RaftOptions{}, all);
      if (compacting) {
        for (uint64_t s : SnapshotIndices(*run)) CHECK(s > 20);  // each compacted, and kept it through restarts
      }
      std::string why;
      CHECK(Linearizable(*run, &why) == Verdict::kOk);
      INFO(why);
      Result<std::vector<Operation>> ops = PairOperations(run->history.history());
      REQUIRE(ops.ok());
      size_t ok = 0;
      for (const Operation& op : *ops) ok += !op.info;
      CHECK(ok > 60);  // six outages of 300 ms and the elections after them
    }
  }
}

// The first of 20 seeds whose history ack-before-fsync makes
// unlinearizable, every replica crashing together; 0 if none.
uint64_t AckBeforeFsyncCaughtAt(RaftOptions bug) {
  bug.bug_ack_before_fsync = true;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::unique_ptr<KitRun> run = CrashRun(seed, bug, /*all_at_once=*/true);
    if (Linearizable(*run) == Verdict::kViolation) return seed;
  }
  return 0;
}

TEST_CASE("raft: the planted ack-before-fsync loses committed writes to a power loss, linearizability catches it", "[kit][raft-mode][planted]") {
  const uint64_t caught_at = AckBeforeFsyncCaughtAt(RaftOptions{});
  INFO("caught at seed " << caught_at);
  CHECK(caught_at != 0);
}

TEST_CASE("raft: the planted ack-before-fsync, compacting every 10 entries, is caught too", "[kit][raft-mode][planted]") {
  // A compaction fsyncs everything it rewrites, which narrows the bug's
  // window; the window between compactions is enough.
  const uint64_t caught_at = AckBeforeFsyncCaughtAt(Compacting());
  INFO("caught at seed " << caught_at);
  CHECK(caught_at != 0);
}

// Five replicas under a partition nemesis: every 500 ms from 0.5 s the
// replicas split into random halves (clients reach all) for 300 ms.
// Roles sampled every 5 ms. Clients stop at 4 s.
struct Churned {
  Verdict linearizable, split_brain;
  std::vector<uint64_t> snapshots;  // each replica's snapshot index at the end
};

Churned Churn(uint64_t seed, RaftOptions o) {
  KvWorkloadOptions w;
  w.stop = Time::Zero() + 4_s;
  KitRun run(seed, 5, 4, Raft(o), w);
  KitRun* r = &run;
  auto order = std::make_shared<Rng>(seed);
  for (int k = 0; k < 7; ++k) {
    const Duration at = 500_ms + Duration::Millis(500) * k;
    r->h.At(at, [r, order] { REQUIRE(r->SplitRandomly(*order).ok()); });
    r->h.At(at + 300_ms, [r] { REQUIRE(r->h.world.faults().Heal().ok()); });
  }
  r->SampleEvery(5_ms, 0_s, 4500_ms);
  r->h.RunFor(4500_ms);
  Result<std::vector<Operation>> ops = PairOperations(run.history.history());
  REQUIRE(ops.ok());
  Churned out;
  out.linearizable = Linearizable(run);
  out.split_brain = CheckSplitBrain(RoleSpans(run.samples), run.history.history(), *ops).verdict;
  out.snapshots = SnapshotIndices(run);
  return out;
}

TEST_CASE("raft: linearizable and never split-brained under partition churn", "[kit][raft-mode]") {
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    const bool compacting = seed > 4;
    INFO("seed " << seed << (compacting ? ", compacting" : ""));
    Churned c = Churn(seed, compacting ? Compacting() : RaftOptions{});
    CHECK(c.linearizable == Verdict::kOk);
    CHECK(c.split_brain == Verdict::kOk);
    if (compacting) {
      for (uint64_t s : c.snapshots) CHECK(s > 20);
    }
  }
}

TEST_CASE("raft: the planted double self-vote makes two leaders, the checkers catch it", "[kit][raft-mode][planted]") {
  RaftOptions bug;
  bug.core.bug_double_self_vote = true;
  uint64_t caught_at = 0;
  Churned found{};
  for (uint64_t seed = 1; seed <= 30 && caught_at == 0; ++seed) {
    found = Churn(seed, bug);
    if (found.linearizable == Verdict::kViolation || found.split_brain == Verdict::kViolation) caught_at = seed;
  }
  INFO("caught at seed " << caught_at << ": linearizable " << VerdictName(found.linearizable) << ", split-brain "
                         << VerdictName(found.split_brain));
  CHECK(caught_at != 0);
}

}  // namespace
}  // namespace faultline::kit
