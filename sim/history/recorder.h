// The history recorder the simulator's clients write to (design §6): one
// call when an operation is invoked, one when it ends. It enforces, as it
// records, what PairOperations would otherwise reject later: a process has
// at most one operation open, completes only what it invoked, and never
// invokes again after an `info` (a client that timed out must continue as a
// new process, as Jepsen's do). Breaking these is a bug in the client code,
// so it is an assertion, not an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "sim/history/history.h"

namespace faultline {

class HistoryRecorder {
 public:
  explicit HistoryRecorder(std::string source = "recorded") { history_.source = std::move(source); }

  // A client operation starts. `time_ns` is virtual time; `node` the node
  // that will serve it, if known.
  void Invoke(int64_t process, std::string f, std::optional<std::string> key, Value value,
              int64_t time_ns, std::string node = {});
  // The open operation of `process` ends: kOk, kFail or kInfo. The :f and
  // key are the invocation's. `value` is the result (a read's value), or
  // the invocation's value again for writes. `node`: the node that served
  // it, if known now (else the invocation's).
  // `version`: what the system reported for a write (history.h), if anything.
  void Complete(int64_t process, OpType type, Value value, int64_t time_ns, std::string node = {},
                std::string version = {});
  // A fault the nemesis injected: kept in the history, never checked.
  void Nemesis(OpType type, std::string f, Value value, int64_t time_ns);

  // Whether `process` has an operation open / has ended with info.
  bool Open(int64_t process) const { return open_.contains(process); }
  bool Crashed(int64_t process) const;

  const History& history() const { return history_; }
  // Ends recording; operations still open stay invocations without a
  // completion, which the checkers treat as info.
  History Take() {
    open_.clear();
    crashed_.clear();
    History out = std::move(history_);
    history_ = History{out.source, {}};
    return out;
  }

 private:
  History history_;
  absl::btree_map<int64_t, size_t> open_;  // process -> index of its invocation
  absl::btree_set<int64_t> crashed_;
};

}  // namespace faultline
