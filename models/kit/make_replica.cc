#include "models/kit/make_replica.h"

#include "models/kit/crdt_replica.h"
#include "models/kit/lease_replica.h"
#include "models/kit/lww_replica.h"
#include "models/kit/raft_replica.h"

namespace faultline::kit {

std::unique_ptr<Replica> MakeReplica(Env& env, const KitConfig& config, const ReplicaChoice& c) {
  if (c.mode == "raft") {
    RaftOptions o;
    o.snapshot_every = c.snapshot_every;
    o.bug_ack_before_fsync = c.bug == "raft_ack_before_fsync";
    o.core.bug_double_self_vote = c.bug == "raft_double_vote";
    return std::make_unique<RaftReplica>(env, config, o);
  }
  if (c.mode == "lease") {
    LeaseOptions o;
    o.duration = c.lease_duration;
    o.lease_guard = c.bug == "lease_no_guard" ? Duration::Zero() : c.lease_guard;
    return std::make_unique<LeaseReplica>(env, config, o);
  }
  if (c.mode == "lww") {
    LwwOptions o;
    o.hlc = c.hlc;
    o.tiebreak = c.bug != "lww_no_tiebreak";
    o.anti_entropy = c.anti_entropy;
    return std::make_unique<LwwReplica>(env, config, o);
  }
  CrdtOptions o;
  o.idempotent_merge = c.bug != "crdt_merge_not_idempotent";
  o.anti_entropy = c.anti_entropy;
  return std::make_unique<CrdtReplica>(env, config, o);
}

}  // namespace faultline::kit
