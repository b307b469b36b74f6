// The lww-rule checker (design §7): under last-writer-wins, each key ends
// with the write of the greatest version (timestamp with its tiebreak)
// among the writes that may have taken effect. Acknowledged writes report
// their version in the history (Op::version); the replica reports the
// version of what it holds (ReplicaState::versions, tombstones included).
//  - A final version below an acknowledged write's: a write that should
//    have won lost (e.g. timestamps compared without the tiebreak).
//  - A final version that is an acknowledged write's, but with another
//    value: the replica holds something that write did not write.
//  - A final version no acknowledged write has, and a value no
//    unacknowledged write wrote: a phantom.
// Versions compare as strings; values must be unique per key.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/check/convergence.h"
#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

struct LwwRuleProblem {
  std::string key;
  std::string why;
  std::vector<size_t> ops;  // the write that should have won, or the one that matches
};

struct LwwRuleResult {
  Verdict verdict = Verdict::kOk;
  std::vector<LwwRuleProblem> problems;
  size_t keys = 0;
  std::string message;
};

// `final_state`: one replica's state once converged (values and versions).
LwwRuleResult CheckLwwRule(const std::vector<Operation>& ops, const ReplicaState& final_state);

}  // namespace faultline
