// State-based CRDTs for the kit's `crdt` mode (design §8): a version
// vector, a PN-counter, an add-wins observed-remove set and a multi-value
// register. Each replica applies its own updates and merges whole states
// it receives (replication, anti-entropy); merge is commutative,
// associative and idempotent, so replicas that have seen the same updates
// hold equal states whatever the order and repetition of merges
// (tests/unit/models/kit/crdt_test.cc checks all three laws).
//
// The set and the register use dots, (node, counter) pairs naming one
// update, and a causal context: the dots a state has seen, kept as a
// version vector. That suffices because replicas exchange whole states, so
// the dots a replica has seen from any node form a prefix 1..n. A dot in one
// state but not in the other survives a merge only if the other has not
// seen it; one the other has seen and dropped was removed or overwritten.
// This is the "optimized OR-set" of Bieniusa et al. (2012), without
// tombstones.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"

namespace faultline::kit {

using ReplicaId = uint32_t;

struct Dot {
  ReplicaId node = 0;
  uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

class VersionVector {
 public:
  uint64_t Get(ReplicaId node) const;
  // The next dot of `node`, counted in.
  Dot Next(ReplicaId node);
  bool Contains(const Dot& d) const { return d.counter <= Get(d.node); }
  void Merge(const VersionVector& o);
  // Every entry of this is <= the other's.
  bool LessOrEqual(const VersionVector& o) const;
  bool operator==(const VersionVector& o) const = default;
  std::string ToString() const;  // "{n0:3 n2:1}"
  // For the wire (lww_replica.cc-style codecs): entries, and setting one.
  const absl::btree_map<ReplicaId, uint64_t>& counts() const { return counts_; }
  void Set(ReplicaId node, uint64_t count) {
    if (count > 0) counts_[node] = count;
  }

 private:
  absl::btree_map<ReplicaId, uint64_t> counts_;  // zero entries are absent
};

// Increments and decrements per replica; the value is their difference.
class PnCounter {
 public:
  // `idempotent` false is the planted bug of the issue: merge adds the
  // other's counts instead of taking the maximum, so merging the same state
  // twice counts it twice.
  explicit PnCounter(bool idempotent = true) : idempotent_(idempotent) {}
  void Add(ReplicaId node, int64_t delta);
  int64_t Value() const;
  void Merge(const PnCounter& o);
  bool operator==(const PnCounter& o) const { return up_ == o.up_ && down_ == o.down_; }
  // For the wire: per replica, total up and total down.
  const absl::btree_map<ReplicaId, uint64_t>& up() const { return up_; }
  const absl::btree_map<ReplicaId, uint64_t>& down() const { return down_; }
  void Set(ReplicaId node, uint64_t up, uint64_t down);

 private:
  bool idempotent_;
  absl::btree_map<ReplicaId, uint64_t> up_, down_;
};

// Add-wins observed-remove set: a remove takes away only the adds it has
// seen; a concurrent add survives it.
class OrSet {
 public:
  void Add(ReplicaId node, const std::string& element);
  void Remove(const std::string& element);
  bool Contains(const std::string& element) const { return entries_.contains(element); }
  std::vector<std::string> Elements() const;  // sorted
  void Merge(const OrSet& o);
  bool operator==(const OrSet& o) const = default;
  const VersionVector& context() const { return context_; }
  // For the wire.
  const absl::btree_map<std::string, absl::btree_set<Dot>>& entries() const { return entries_; }
  static OrSet FromParts(absl::btree_map<std::string, absl::btree_set<Dot>> entries, VersionVector context);

 private:
  absl::btree_map<std::string, absl::btree_set<Dot>> entries_;
  VersionVector context_;
};

// Multi-value register: a write replaces every value it has seen;
// concurrent writes are all kept (siblings) until a later write covers them.
class MvRegister {
 public:
  void Write(ReplicaId node, const std::string& value);
  std::vector<std::string> Values() const;  // sorted, duplicates kept once
  void Merge(const MvRegister& o);
  bool operator==(const MvRegister& o) const = default;
  const VersionVector& context() const { return context_; }
  // For the wire.
  const absl::btree_map<Dot, std::string>& dotted() const { return values_; }
  static MvRegister FromParts(absl::btree_map<Dot, std::string> values, VersionVector context);

 private:
  absl::btree_map<Dot, std::string> values_;
  VersionVector context_;
};

}  // namespace faultline::kit
