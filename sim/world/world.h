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

class World {
 public:
  explicit World(Simulation& sim) : sim_(sim), network_(sim), faults_(*this) {}

  NodeId AddNode(std::string name, NodeHooks* hooks);
  Simulation& sim() { return sim_; }
  Network& network() { return network_; }
  Clocks& clocks() { return clocks_; }
  Disk& disk(NodeId node) { return *disks_.at(node.value); }
  Switchboard& faults() { return faults_; }
  std::vector<NodeId> nodes() const;
  Result<NodeId> FindNode(std::string_view name) const { return sim_.FindNode(name); }

 private:
  Simulation& sim_;
  Network network_;
  Clocks clocks_;
  std::vector<std::unique_ptr<Disk>> disks_;
  Switchboard faults_;
};

}  // namespace faultline
