// What every replica of the kit exposes beside its protocol (design §8):
// its role, so nemeses can target the leader, and a snapshot of its state,
// so checkers can compare replicas (sim/check/convergence.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/check/convergence.h"
#include "sim/node/cluster.h"

namespace faultline::kit {

enum class Mode { kRaft, kLease, kLww, kCrdt };
std::string_view ModeName(Mode m);

// The roles of design §8; kPeer for multi-leader modes, where every
// replica accepts writes.
enum class Role { kFollower, kCandidate, kLeader, kPrimary, kBackup, kPeer };
std::string_view RoleName(Role r);

class Replica : public Service {
 public:
  virtual Role role() const = 0;
  // The replica's visible state now: its live values per key.
  virtual ReplicaState Snapshot() const = 0;
};

// Every replica's Snapshot now; a node that is down (no service) is
// recorded as down. For ModelRun::Sample.
StatesAt SampleReplicas(Cluster& cluster, const std::vector<NodeId>& replicas, int64_t now_ns);

// Anti-entropy pacing shared by the multi-leader modes: every `every`
// plus up to half again of jitter, `push` runs for the next peer in turn,
// starting from a random one; returns when the node crashes. Nothing
// happens while `peers` is empty.
//
// In turn, not at random: each peer then hears this replica's whole state
// at least once every peers.size() rounds, so once the network heals and
// writes stop, every replica has every other's state within
// peers.size() × 1.5 × `every` plus delivery: 600 ms for three replicas at
// the default 200 ms, inside the kit scenarios' 1 s `converges` bound. A
// random peer per round has no such bound (kit/crdt-partition seed
// 2026112400004: two replicas kept choosing each other for 1.6 s after
// the heal, and the third stayed stale past the bound).
void AntiEntropyLoop(Env& env, const std::vector<NodeId>& peers, Duration every,
                     const std::function<void(NodeId)>& push);

// The replicas of a kit cluster are named r1..rN (another prefix when one
// run holds several kit clusters); clients are other nodes.
struct KitConfig {
  int replicas = 3;
  std::string prefix = "r";
  std::string ReplicaName(int i) const;  // 0-based: "r1"
  // The replicas' node ids, in order; with `except`, all but that one.
  std::vector<NodeId> Replicas(const Env& env, NodeId except = NodeId()) const;
};

}  // namespace faultline::kit
