// Builds a kit replica of any mode from one description, so that every
// model built on the kit (kv, matching's two stores) gets the same replica
// for the same choice, planted bugs included.
#pragma once

#include <memory>
#include <string>

#include "models/kit/replica.h"

namespace faultline::kit {

struct ReplicaChoice {
  std::string mode = "raft";  // raft, lease, lww, crdt
  Duration lease_guard = Duration::Millis(100);
  Duration lease_duration = Duration::Millis(300);
  Duration anti_entropy = Duration::Millis(200);
  bool hlc = true;            // lww: HLC timestamps, else wall clocks
  uint64_t snapshot_every = 1000;  // raft: compaction period in applied entries (0: never)
  // A planted bug (docs/consistency-modes.md): raft_double_vote,
  // raft_ack_before_fsync, lease_no_guard, lww_no_tiebreak,
  // crdt_merge_not_idempotent; any other value (e.g. "none") plants none.
  std::string bug = "none";
};

std::unique_ptr<Replica> MakeReplica(Env& env, const KitConfig& config, const ReplicaChoice& choice);

}  // namespace faultline::kit
