// What a checker says about a history (design §7): a verdict and the
// evidence a person needs to see why.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
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
