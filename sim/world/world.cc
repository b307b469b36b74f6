#include "sim/world/world.h"

namespace faultline {

NodeId World::AddNode(std::string name, NodeHooks* hooks) {
  NodeId id = sim_.AddNode(std::move(name), hooks);
  clocks_.AddNode();
  disks_.push_back(std::make_unique<Disk>());
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
