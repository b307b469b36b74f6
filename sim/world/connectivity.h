// A directed connectivity matrix, represented compactly so that it scales
// to 100,000 nodes (a dense matrix would need 1.25 GB there).
//
// a -> b is allowed iff every rule allows it:
//  - groups: each node belongs to a set of groups (a 64-bit mask); a and b
//    must share one. Disjoint groups are a partition; a node in two groups
//    is a bridge. A node in no group is isolated.
//  - ring: nodes are placed on a ring; a and b must be within distance k.
//  - blocked: an explicit set of directed links that are cut (one-way).
// A node always reaches itself. Full() has no rules and costs one branch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "sim/core/ids.h"
#include "sim/core/status.h"

namespace faultline {

class Connectivity {
 public:
  static constexpr size_t kMaxGroups = 64;

  static Connectivity Full() { return Connectivity(); }
  // Each inner list is a group; nodes may appear in several groups (bridge).
  // Errors: more than 64 groups, or a node id >= node_count.
  static Result<Connectivity> Groups(size_t node_count,
                                     const std::vector<std::vector<NodeId>>& groups);
  // Nodes of `order` split into a first half of floor(n/2) and the rest.
  static Connectivity Halves(size_t node_count, const std::vector<NodeId>& order);
  static Connectivity Isolate(size_t node_count, NodeId node);
  // Two halves that both reach one bridge node: order[n/2] is in both.
  static Connectivity Bridge(size_t node_count, const std::vector<NodeId>& order);
  // Each node sees a majority, and no two see the same one (Jepsen's
  // majorities-ring): ring distance <= ceil(floor(n/2)/2) along `order`.
  static Connectivity MajoritiesRing(size_t node_count, const std::vector<NodeId>& order);

  void BlockOneWay(NodeId from, NodeId to) { blocked_.insert(Key(from, to)); }

  bool full() const {
    return masks_.empty() && mask_index_.empty() && ring_pos_.empty() && blocked_.empty();
  }
  bool Allows(NodeId from, NodeId to) const {
    if (full() || from == to) return true;
    return AllowsSlow(from, to);
  }
  // Number of directed links cut among the first `node_count` nodes; for
  // descriptions and tests (O(n^2): small clusters only).
  size_t CountCut(size_t node_count) const;

 private:
  static uint64_t Key(NodeId a, NodeId b) { return (uint64_t{a.value} << 32) | b.value; }
  bool AllowsSlow(NodeId from, NodeId to) const;
  uint64_t MaskOf(NodeId n) const;
  // Replaces masks_ by a byte per node indexing a table of the distinct
  // masks, when there are at most 256 (a partition has a handful): checked
  // on every delivery, the per-node array then stays in cache at 100,000
  // nodes (100 KB instead of 800 KB).
  void Compact();

  // The group rule: one of the two forms, or neither (no group rule).
  std::vector<uint64_t> masks_;     // per node
  std::vector<uint8_t> mask_index_;  // per node, into mask_table_
  std::vector<uint64_t> mask_table_;
  std::vector<uint32_t> ring_pos_;  // per node position; empty = no ring rule
  uint32_t ring_k_ = 0;
  uint32_t ring_size_ = 0;
  absl::btree_set<uint64_t> blocked_;
};

}  // namespace faultline
