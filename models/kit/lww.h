// The state of an `lww` replica (design §8): per key, the write with the
// greatest timestamp (hlc.h), deletes included as tombstones so that a
// delete beats an older put that arrives after it. Merging two maps keeps,
// per key, the greater entry: commutative, associative and idempotent, so
// anti-entropy converges whatever the order of exchanges.
//
// `tiebreak` off is the planted bug of the issue: timestamps compared
// without the node, so two writes with equal (physical, logical) parts tie
// and each replica keeps the one it saw first; replicas can then differ
// forever.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/kit/hlc.h"

namespace faultline::kit {

struct LwwEntry {
  std::optional<std::string> value;  // nullopt: deleted
  Timestamp ts;
  bool operator==(const LwwEntry& o) const = default;
};

class LwwMap {
 public:
  explicit LwwMap(bool tiebreak = true) : tiebreak_(tiebreak) {}
  // Applies a write (or a delete, value nullopt) stamped `ts`; true if it
  // became the key's entry, false if a greater one was already there.
  bool Apply(const std::string& key, std::optional<std::string> value, const Timestamp& ts);
  // The live value; nullopt if absent or deleted.
  std::optional<std::string> Get(const std::string& key) const;
  const LwwEntry* Entry(const std::string& key) const;
  void Merge(const LwwMap& o);
  // Entries in key order, tombstones included: what anti-entropy sends.
  const absl::btree_map<std::string, LwwEntry>& entries() const { return entries_; }
  bool operator==(const LwwMap& o) const { return entries_ == o.entries_; }

 private:
  bool Wins(const Timestamp& a, const Timestamp& b) const;  // a replaces b
  bool tiebreak_;
  absl::btree_map<std::string, LwwEntry> entries_;
};

}  // namespace faultline::kit
