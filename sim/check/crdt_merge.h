// The crdt-merge checker (design §7): the converged state equals a merge
// of effects that may have happened. Judged from the history alone, with
// only what real time proves:
//  - a counter is the sum of its acknowledged increments plus those of
//    some subset of the unacknowledged (info) ones: never more, never less;
//  - a set holds only elements some add (acknowledged or not) added, and
//    holds every element with an acknowledged add that no remove of it
//    could have followed (every remove of it completed before the add was
//    invoked);
//  - a register holds only values some write wrote, and holds every
//    acknowledged value no other write could have followed.
// Histories use keys "ctr:K" (`incr` n, `read` n), "set:K" (`add` e,
// `remove` e, `read` [e...]) and "reg:K" (`write` v, `read` [v...]), as the
// kit's crdt workload records them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

// What the replicas converged to, by key (with the prefixes above).
struct CrdtFinal {
  absl::btree_map<std::string, int64_t> counters;
  absl::btree_map<std::string, std::vector<std::string>> sets;       // sorted elements
  absl::btree_map<std::string, std::vector<std::string>> registers;  // sorted siblings
};

struct CrdtProblem {
  std::string key;
  std::string why;
  std::vector<size_t> ops;  // operations that show it
};

struct CrdtMergeResult {
  Verdict verdict = Verdict::kOk;
  std::vector<CrdtProblem> problems;
  std::string message;
};

CrdtMergeResult CheckCrdtMerge(const std::vector<Operation>& ops, const CrdtFinal& final_state);

}  // namespace faultline
