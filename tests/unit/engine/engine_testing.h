// A node whose boot spawns a given fiber body; for engine-level tests that
// run below sim/node.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/engine/simulation.h"

namespace faultline::testing {

using namespace faultline::literals;

class BootHooks final : public NodeHooks {
 public:
  explicit BootHooks(Simulation& sim) : sim_(sim) {}
  // `body` runs as the node's main fiber on every boot.
  NodeId Add(std::string name, std::function<void(NodeId)> body) {
    NodeId id = sim_.AddNode(std::move(name), this);
    bodies_.push_back(std::move(body));
    return id;
  }
  // Nodes added elsewhere (e.g. World::AddNode with these hooks) boot idle.
  void OnBoot(NodeId node) override {
    ++boots;
    if (node.value >= bodies_.size() || !bodies_[node.value]) return;
    sim_.Spawn(node, "main", [this, node] { bodies_[node.value](node); });
  }
  void OnCrash(NodeId node) override { ++crashes; }
  int boots = 0;
  int crashes = 0;

 private:
  Simulation& sim_;
  std::vector<std::function<void(NodeId)>> bodies_;
};

}  // namespace faultline::testing
