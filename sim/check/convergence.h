// The convergence checker (design §7): after faults heal and the system
// quiesces, every replica holds the same state, within a declared bound of
// virtual time. A liveness property: a violation means the bound passed
// with replicas still disagreeing (exit code 4), and the evidence names the
// keys and what each replica held.
//
// Pure: the input is what the replicas reported (the kit's
// Replica::Snapshot), sampled over virtual time by whoever ran them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/check/result.h"

namespace faultline {

// One replica's visible state at one instant.
struct ReplicaState {
  std::string node;
  std::string role;  // "leader", "follower", "peer", ...
  bool up = true;    // a replica that is down has nothing to compare
  absl::btree_map<std::string, std::string> values;  // live keys only
  // Optional: per key (deleted ones too), the version of what the replica
  // holds, for checkers that judge versions (lww-rule). Not compared by
  // the convergence checker.
  absl::btree_map<std::string, std::string> versions;
};

struct StatesAt {
  int64_t time_ns = 0;
  std::vector<ReplicaState> replicas;
};

struct Divergence {
  std::string key;
  std::vector<std::pair<std::string, std::string>> held;  // (node, value or "(absent)"), node order
};

struct ConvergenceResult {
  Verdict verdict = Verdict::kOk;
  int64_t converged_ns = -1;  // ok: the first sample from which the up replicas agree and keep agreeing
  int64_t evidence_ns = -1;   // violation: the sample the divergences are from
  std::vector<Divergence> divergences;
  std::string message;  // one line for people
};

// `samples` in time order; `quiet_ns`: from when faults are healed and
// clients have stopped (replication may still be catching up). Ok if every
// sample at or after quiet_ns + bound_ns has all up replicas equal (and
// converged_ns is the first agreeing sample after the last disagreeing
// one); violation if one does not; unknown if no sample is that late (the
// run ended too early to tell).
ConvergenceResult CheckConverges(const std::vector<StatesAt>& samples, int64_t quiet_ns, int64_t bound_ns);

// The keys on which the up replicas of `at` disagree.
std::vector<Divergence> Divergences(const StatesAt& at);

}  // namespace faultline
