#include "sim/world/world.h"

#include "sim/core/strings.h"

namespace faultline {

World::World(Simulation& sim) : sim_(sim), network_(sim), faults_(*this) {
  sim_.AddCrashListener(this, [this](NodeId node) { OnCrash(node); });
}

World::~World() { sim_.RemoveCrashListeners(this); }

// Every crash, however it was requested, takes the node's unsynced writes.
// A torn crash draws from a stream named after the node and the time, not
// from one shared stream: dropping another crash from a schedule (shrink)
// then leaves this one's tear as it was.
void World::OnCrash(NodeId node) {
  Disk& d = *disks_.at(node.value);
  CrashOutcome& o = last_crash_.at(node.value);
  o.mode = crash_mode_[node.value];
  o.unsynced = d.unsynced_writes();
  if (o.mode == CrashDisk::kTorn) {
    Rng tear = Rng::Stream(sim_.seed(), Cat("disk/", sim_.NodeName(node), "@", sim_.now().nanos()));
    o.kept = d.TearUnsynced(tear);
  } else {
    o.kept = 0;
  }
  if (o.mode == CrashDisk::kLoseUnsynced) d.LoseUnsynced();
  crash_mode_[node.value] = CrashDisk::kLoseUnsynced;
}

NodeId World::AddNode(std::string name, NodeHooks* hooks) {
  NodeId id = sim_.AddNode(std::move(name), hooks);
  clocks_.AddNode();
  disks_.push_back(std::make_unique<Disk>());
  crash_mode_.push_back(CrashDisk::kLoseUnsynced);
  last_crash_.emplace_back();
  SIM_ASSERT(clocks_.size() == sim_.node_count() && disks_.size() == sim_.node_count());
  return id;
}

std::vector<NodeId> World::nodes() const {
  std::vector<NodeId> out;
  out.reserve(sim_.node_count());
  for (uint32_t i = 0; i < sim_.node_count(); ++i) out.push_back(NodeId(i));
  return out;
}

}  // namespace faultline
