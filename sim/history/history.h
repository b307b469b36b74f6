// Histories (design §6): the operations clients invoked and how each ended,
// with Jepsen's semantics:
//  - ok: it happened, between its invocation and its completion;
//  - fail: it certainly did not happen;
//  - info: unknown (a timeout, a crash): it may take effect at any time after
//    its invocation, or never; its process never invokes again.
// An invocation with no completion by the end is treated as info.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/history/value.h"

namespace faultline {

enum class OpType : uint8_t { kInvoke, kOk, kFail, kInfo };
std::string_view OpTypeName(OpType t);  // "invoke", "ok", "fail", "info"

// One line of a history: an invocation or a completion.
struct Op {
  int64_t index = 0;         // position in the history, from 0
  int64_t process = 0;       // client process; meaningful when !nemesis()
  std::string process_name;  // a keyword process such as "nemesis"; empty for clients
  OpType type = OpType::kInvoke;
  std::string f;                   // "read", "write", "cas", "append", ...
  std::optional<std::string> key;  // for keyed models
  Value value;
  int64_t time_ns = -1;  // -1: not recorded
  std::string node;      // the node that served it, if recorded
  // The version the system gave a write (e.g. an LWW stamp), if it reports
  // one; versions of one history compare as strings (writers make them so).
  std::string version;
  int line = 0;          // 1-based line in the source file; 0 if not from a file

  bool nemesis() const { return !process_name.empty(); }
};

struct History {
  std::string source;  // a file name, for messages
  std::vector<Op> ops;
};

// An invocation paired with its completion: what the checkers search over.
// Failed operations are left out (they did not happen); nemesis operations
// are not clients and are left out too.
struct Operation {
  size_t id = 0;  // dense, in invocation order
  int64_t process = 0;
  std::string f;
  std::optional<std::string> key;
  Value input;    // the invocation's value (a write's value, a cas's [old new])
  Value output;   // the completion's value (a read's result); nil for info
  bool info = false;  // effect unknown: may be linearized late, or dropped
  int64_t call = 0;   // order of the invocation (history position)
  int64_t ret = 0;    // order of the completion; INT64_MAX for info
  int64_t invoke_index = 0;
  int64_t complete_index = -1;  // -1 for info without a completion
  int64_t complete_pos = -1;    // the completion's history position, also for info; -1 if none
  std::string version;          // the completion's version, if the system reported one
};

// Pairs invocations with completions by process. Errors (kInvalidArgument)
// name the file and line: a completion without an invocation, a process
// invoking again before completing, a completion whose :f differs, a
// process invoking again after an info.
Result<std::vector<Operation>> PairOperations(const History& h);

}  // namespace faultline
