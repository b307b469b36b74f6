#include "sim/history/history.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "sim/core/strings.h"

namespace faultline {

std::string_view OpTypeName(OpType t) {
  switch (t) {
    case OpType::kInvoke: return "invoke";
    case OpType::kOk: return "ok";
    case OpType::kFail: return "fail";
    case OpType::kInfo: return "info";
  }
  return "?";
}

namespace {

std::string Where(const History& h, const Op& op) {
  return op.line > 0 ? Cat(h.source, ":", op.line) : Cat(h.source, " op ", op.index);
}

struct Open {
  size_t op;  // index into h.ops of the invocation
};

}  // namespace

Result<std::vector<Operation>> PairOperations(const History& h) {
  absl::btree_map<int64_t, Open> open;   // process -> its pending invocation
  absl::btree_map<int64_t, size_t> crashed;  // process -> the op that ended it with info
  std::vector<Operation> out;
  std::vector<std::pair<size_t, size_t>> pairs;  // (invoke op, completion op or SIZE_MAX)
  for (size_t i = 0; i < h.ops.size(); ++i) {
    const Op& op = h.ops[i];
    if (op.nemesis()) continue;
    if (op.type == OpType::kInvoke) {
      if (auto it = open.find(op.process); it != open.end()) {
        return InvalidArgument(Cat(Where(h, op), ": process ", op.process,
                                   " invokes again before its invocation at ",
                                   Where(h, h.ops[it->second.op]), " completed"));
      }
      if (auto it = crashed.find(op.process); it != crashed.end()) {
        return InvalidArgument(Cat(Where(h, op), ": process ", op.process,
                                   " invokes again after its :info at ",
                                   Where(h, h.ops[it->second]),
                                   " (an :info process never invokes again)"));
      }
      open.emplace(op.process, Open{i});
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) {
      return InvalidArgument(Cat(Where(h, op), ": process ", op.process, " completes (:",
                                 OpTypeName(op.type), " :", op.f, ") without an invocation"));
    }
    const Op& inv = h.ops[it->second.op];
    if (inv.f != op.f) {
      return InvalidArgument(Cat(Where(h, op), ": completion :", op.f,
                                 " does not match the invocation :", inv.f, " at ",
                                 Where(h, inv)));
    }
    if (op.type == OpType::kInfo) crashed.emplace(op.process, i);
    if (op.type != OpType::kFail) pairs.emplace_back(it->second.op, i);
    open.erase(it);
  }
  for (const auto& [process, o] : open) pairs.emplace_back(o.op, SIZE_MAX);
  std::sort(pairs.begin(), pairs.end());
  for (const auto& [inv_i, done_i] : pairs) {
    const Op& inv = h.ops[inv_i];
    Operation o;
    o.id = out.size();
    o.process = inv.process;
    o.f = inv.f;
    o.key = inv.key;
    o.input = inv.value;
    o.call = static_cast<int64_t>(inv_i);
    o.invoke_index = inv.index;
    const bool info = done_i == SIZE_MAX || h.ops[done_i].type == OpType::kInfo;
    o.info = info;
    o.ret = info ? INT64_MAX : static_cast<int64_t>(done_i);
    if (done_i != SIZE_MAX) {
      o.complete_index = h.ops[done_i].index;
      o.complete_pos = static_cast<int64_t>(done_i);
      if (!info) o.version = h.ops[done_i].version;
      if (!info) o.output = h.ops[done_i].value;
      if (!o.key && h.ops[done_i].key) o.key = h.ops[done_i].key;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace faultline
