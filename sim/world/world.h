// The simulated world around the nodes: network, clocks, disks and the
// switchboard through which faults reach them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/engine/simulation.h"
#include "sim/world/clocks.h"
#include "sim/world/disk.h"
#include "sim/world/network.h"
#include "sim/world/switchboard.h"

namespace faultline {

// What the last crash of a node did to its disk.
struct CrashOutcome {
  CrashDisk mode = CrashDisk::kLoseUnsynced;
  size_t unsynced = 0;  // unsynced writes when it crashed
  size_t kept = 0;      // of which survived whole (torn crashes only)
};

class World {
 public:
  explicit World(Simulation& sim);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  NodeId AddNode(std::string name, NodeHooks* hooks);
  Simulation& sim() { return sim_; }
  Network& network() { return network_; }
  Clocks& clocks() { return clocks_; }
  Disk& disk(NodeId node) { return *disks_.at(node.value); }
  Switchboard& faults() { return faults_; }
  std::vector<NodeId> nodes() const;
  Result<NodeId> FindNode(std::string_view name) const { return sim_.FindNode(name); }

  // The next crash of `node` (on any path) leaves its disk as `mode` says;
  // afterwards the mode returns to kLoseUnsynced.
  void SetNextCrashDisk(NodeId node, CrashDisk mode) { crash_mode_.at(node.value) = mode; }
  const CrashOutcome& last_crash(NodeId node) const { return last_crash_.at(node.value); }

 private:
  Simulation& sim_;
  Network network_;
  Clocks clocks_;
  void OnCrash(NodeId node);

  std::vector<std::unique_ptr<Disk>> disks_;
  std::vector<CrashDisk> crash_mode_;
  std::vector<CrashOutcome> last_crash_;
  Switchboard faults_;
};

}  // namespace faultline
