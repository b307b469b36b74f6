// What a checker says about a history (design §7): a verdict and the
// evidence a person needs to see why.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

enum class Verdict : uint8_t { kOk, kViolation, kUnknown };
std::string_view VerdictName(Verdict v);  // "ok", "violation", "unknown"

// Limits that turn a search that would run too long into `unknown`.
struct CheckBudget {
  // Polled during the search; true ends it. The caller owns the clock, so
  // the checker never reads wall time itself (design §2).
  std::function<bool()> out_of_time;
  size_t memory_bytes = 0;  // the search's memo tables; 0 = no limit
  // Search steps over all partitions; 0 = no limit. Unlike out_of_time it
  // gives the same verdict on every machine, so `faultline run` budgets
  // by it (and memory_bytes) and a replay reaches the same verdict.
  uint64_t max_steps = 0;
  bool fail_fast = false;   // stop at the first violating partition
  // Check keyed models as one whole (no P-compositionality): for comparing
  // with checkers that cannot split, and for testing the split.
  bool no_partition = false;
  // Splitting at quiescent points (wgl.h): off for comparing and testing;
  // the most end states carried from one segment to the next before the
  // rest of a partition is searched as one piece.
  bool no_split = false;
  size_t max_carried_states = 1024;
  // Where per-partition times come from (nanoseconds, any origin); none
  // means no times. Owned by the caller, like out_of_time.
  std::function<int64_t()> now_ns;
};

// The max_steps of the next of `parts_left` partitions when `left` of the
// budget's steps remain: an equal share, so one hard partition cannot
// starve the ones after it, and what an easy one leaves goes to the rest.
// 0 when `left` is 0, whether the budget was unlimited or is spent: a
// caller tells the two apart by the budget's own max_steps.
inline uint64_t StepShare(uint64_t left, size_t parts_left) {
  if (left == 0) return 0;
  return parts_left <= 1 ? left : std::max<uint64_t>(1, left / parts_left);
}

// Hands a budget's max_steps out to `parts` partitions in turn, by
// StepShare, and takes back what each used. Every partition calls Next,
// searched or not; nullptr means the limited budget is spent: the
// partition is unknown ("step budget") without a search.
class StepShares {
 public:
  StepShares(const CheckBudget& budget, size_t parts)
      : part_(budget), limited_(budget.max_steps != 0), left_(budget.max_steps), parts_(parts) {}
  const CheckBudget* Next() {
    part_.max_steps = StepShare(left_, parts_);
    if (parts_ > 0) --parts_;
    return limited_ && part_.max_steps == 0 ? nullptr : &part_;
  }
  void Used(uint64_t steps) { left_ -= std::min(left_, steps); }

 private:
  CheckBudget part_;
  bool limited_;
  uint64_t left_;
  size_t parts_;
};

// "search budget spent, 2 of 5 keys undecided: a (step budget), b (...)":
// the message of a check some of whose `total` partitions (`noun`) ended
// unknown, naming at most five of `undecided`.
std::string UndecidedMessage(const std::vector<std::string>& undecided, size_t total, std::string_view noun);

// One independently checked part of the history (a key, or all of it).
struct PartitionResult {
  std::string key;  // empty when the model does not partition
  Verdict verdict = Verdict::kOk;
  size_t operations = 0;   // searched: without unseen_infos and infos that constrain nothing
  size_t unseen_infos = 0; // infos left out because no operation could see their effect
  uint64_t steps = 0;  // search steps taken
  size_t segments = 0; // pieces searched apart, split at quiescent points (wgl.h)
  int64_t nanos = -1;  // time spent, when CheckBudget::now_ns was given
  // For a violation: the longest linearizable prefix found (operation ids
  // in linearization order), the model state after it, and the operations
  // that could not be linearized next.
  std::vector<size_t> longest_prefix;
  std::string state_after_prefix;
  std::vector<size_t> stuck;
  // For ok: one linearization (operation ids in order). `info` operations
  // the search dropped (they never took effect) are absent.
  std::vector<size_t> linearization;
  std::string unknown_reason;  // "time budget", "memory budget", "step budget", "skipped (fail-fast)"
};

struct CheckResult {
  Verdict verdict = Verdict::kOk;  // violation if any part is, else unknown if any is
  std::vector<PartitionResult> partitions;
};

}  // namespace faultline
