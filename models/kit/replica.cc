#include "models/kit/replica.h"

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

std::string KitConfig::ReplicaName(int i) const { return Cat("r", i + 1); }

}  // namespace faultline::kit
