#include "sim/world/connectivity.h"

#include "absl/container/btree_map.h"
#include "sim/core/strings.h"

namespace faultline {

Result<Connectivity> Connectivity::Groups(size_t node_count,
                                          const std::vector<std::vector<NodeId>>& groups) {
  if (groups.size() > kMaxGroups) {
    return InvalidArgument(Cat("a partition has at most ", kMaxGroups, " groups, got ",
                               groups.size()));
  }
  Connectivity c;
  c.masks_.assign(node_count, 0);
  for (size_t g = 0; g < groups.size(); ++g) {
    for (NodeId n : groups[g]) {
      if (!n.valid() || n.value >= node_count) {
        return InvalidArgument(Cat("partition group ", g + 1, " names node #", n.value,
                                   " but there are ", node_count, " nodes"));
      }
      c.masks_[n.value] |= uint64_t{1} << g;
    }
  }
  c.Compact();
  return c;
}

Connectivity Connectivity::Halves(size_t node_count, const std::vector<NodeId>& order) {
  size_t half = order.size() / 2;
  std::vector<std::vector<NodeId>> g(2);
  for (size_t i = 0; i < order.size(); ++i) g[i < half ? 0 : 1].push_back(order[i]);
  Result<Connectivity> r = Groups(node_count, g);
  SIM_ASSERT(r.ok());
  return std::move(r).value();
}

Connectivity Connectivity::Isolate(size_t node_count, NodeId node) {
  SIM_ASSERT(node.value < node_count);
  Connectivity c;
  c.masks_.assign(node_count, 1);
  c.masks_[node.value] = 2;
  c.Compact();
  return c;
}

Connectivity Connectivity::Bridge(size_t node_count, const std::vector<NodeId>& order) {
  size_t mid = order.size() / 2;
  Connectivity c;
  c.masks_.assign(node_count, 0);
  for (size_t i = 0; i < order.size(); ++i) {
    SIM_ASSERT(order[i].value < node_count);
    c.masks_[order[i].value] = i < mid ? 1 : (i == mid ? 3 : 2);
  }
  c.Compact();
  return c;
}

Connectivity Connectivity::MajoritiesRing(size_t node_count, const std::vector<NodeId>& order) {
  Connectivity c;
  c.ring_pos_.assign(node_count, 0);
  for (size_t i = 0; i < order.size(); ++i) {
    SIM_ASSERT(order[i].value < node_count);
    c.ring_pos_[order[i].value] = static_cast<uint32_t>(i);
  }
  uint32_t n = static_cast<uint32_t>(order.size());
  c.ring_k_ = (n / 2 + 1) / 2;
  // Nodes outside `order` would all sit at position 0; keep them isolated.
  if (order.size() != node_count) {
    c.masks_.assign(node_count, 0);
    for (NodeId id : order) c.masks_[id.value] = 1;
    c.Compact();
  }
  c.ring_size_ = n;
  return c;
}

void Connectivity::Compact() {
  absl::btree_map<uint64_t, uint8_t> index;  // mask -> its place in the table
  for (uint64_t m : masks_) {
    if (index.contains(m)) continue;
    if (index.size() == 256) return;  // too varied: keep the per-node masks
    index.emplace(m, static_cast<uint8_t>(index.size()));
  }
  mask_table_.assign(index.size(), 0);
  for (const auto& [mask, i] : index) mask_table_[i] = mask;
  mask_index_.resize(masks_.size());
  for (size_t n = 0; n < masks_.size(); ++n) mask_index_[n] = index.at(masks_[n]);
  masks_ = {};
}

// A node added after the matrix was built belongs to no group.
uint64_t Connectivity::MaskOf(NodeId n) const {
  if (!mask_index_.empty()) {
    return n.value < mask_index_.size() ? mask_table_[mask_index_[n.value]] : 0;
  }
  return n.value < masks_.size() ? masks_[n.value] : 0;
}

bool Connectivity::AllowsSlow(NodeId from, NodeId to) const {
  if (!masks_.empty() || !mask_index_.empty()) {
    if ((MaskOf(from) & MaskOf(to)) == 0) return false;
  }
  if (!ring_pos_.empty()) {
    if (from.value >= ring_pos_.size() || to.value >= ring_pos_.size()) return false;
    uint32_t a = ring_pos_[from.value], b = ring_pos_[to.value];
    uint32_t d = a > b ? a - b : b - a;
    if (ring_size_ - d < d) d = ring_size_ - d;
    if (d > ring_k_) return false;
  }
  return blocked_.empty() || !blocked_.contains(Key(from, to));
}

size_t Connectivity::CountCut(size_t node_count) const {
  size_t cut = 0;
  for (uint32_t a = 0; a < node_count; ++a) {
    for (uint32_t b = 0; b < node_count; ++b) cut += !Allows(NodeId(a), NodeId(b));
  }
  return cut;
}

}  // namespace faultline
