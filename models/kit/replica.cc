#include "models/kit/replica.h"

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline::kit {

std::string_view ModeName(Mode m) {
  switch (m) {
    case Mode::kRaft: return "raft";
    case Mode::kLease: return "lease";
    case Mode::kLww: return "lww";
    case Mode::kCrdt: return "crdt";
  }
  return "?";
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kFollower: return "follower";
    case Role::kCandidate: return "candidate";
    case Role::kLeader: return "leader";
    case Role::kPrimary: return "primary";
    case Role::kBackup: return "backup";
    case Role::kPeer: return "peer";
  }
  return "?";
}

StatesAt SampleReplicas(Cluster& cluster, const std::vector<NodeId>& replicas, int64_t now_ns) {
  StatesAt at{now_ns, {}};
  for (NodeId id : replicas) {
    auto* r = dynamic_cast<Replica*>(cluster.service(id));
    at.replicas.push_back(r == nullptr ? ReplicaState{cluster.sim().NodeName(id), "down", false, {}, {}} : r->Snapshot());
  }
  return at;
}

void AntiEntropyLoop(Env& env, const std::vector<NodeId>& peers, Duration every,
                     const std::function<void(NodeId)>& push) {
  size_t next = peers.empty() ? 0 : env.rng().Uniform(peers.size());  // replicas do not start in step
  for (;;) {
    const Duration jitter = env.rng().Range(Duration::Zero(), every / 2);
    if (!env.Sleep(every + jitter).ok()) return;
    if (peers.empty()) continue;
    next %= peers.size();  // safe should the caller's list ever shrink
    push(peers[next]);
    ++next;
  }
}

std::string KitConfig::ReplicaName(int i) const { return Cat(prefix, i + 1); }

std::vector<NodeId> KitConfig::Replicas(const Env& env, NodeId except) const {
  std::vector<NodeId> out;
  for (int i = 0; i < replicas; ++i) {
    Result<NodeId> n = env.node(ReplicaName(i));
    SIM_ASSERT_MSG(n.ok(), Cat("no replica named ", ReplicaName(i)));
    if (*n != except) out.push_back(*n);
  }
  return out;
}

}  // namespace faultline::kit
