// The no-lost-writes checker (design §7): every acknowledged write is in
// the final state, or may have been overwritten by a write invoked after it
// completed. A lost write is reported with the writes that could have
// produced the final value and how they relate in real time:
//  - concurrent: they overlapped; the conflict rule chose the other
//    (last-writer-wins under a partition loses these). Reported but not a
//    violation: one of two concurrent writes is always last;
//  - to an earlier write: the write that survived had completed before the
//    lost one was invoked. No conflict rule excuses it: it is a causality
//    violation (last-writer-wins with skewed wall clocks loses these);
//  - vanished: no write produced the final state (the key is absent and no
//    delete could have removed it, or holds a phantom value).
//
// Pure, over the paired history and the final state (what the replicas
// agree on once converged; sim/check/convergence.h). Every written value
// must be unique per key, as the kit's workloads make them, so the final
// value names the write that produced it; a final value no write wrote is
// a phantom and reported too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

struct LostWrite {
  enum How : uint8_t { kConcurrent, kEarlier, kVanished };
  size_t op = 0;  // operation id (history: invoke_index of ops[op])
  std::string key;
  How how = kConcurrent;
  std::vector<size_t> winners;  // the writes that could have produced the final value
};

struct LostWritesResult {
  Verdict verdict = Verdict::kOk;
  size_t acknowledged = 0;  // acknowledged writes looked at
  std::vector<LostWrite> lost;
  std::vector<std::string> phantoms;  // keys whose final value no write wrote
  size_t Count(LostWrite::How how) const;
  std::string message;
};

// `final_values`: the live value per key (absent keys: deleted or never
// written). Writes are `write` (nil: a delete) and `cas` ([old new]).
LostWritesResult CheckNoLostWrites(const std::vector<Operation>& ops,
                                   const absl::btree_map<std::string, std::string>& final_values);

}  // namespace faultline
