#include "sim/history/recorder.h"

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline {

bool HistoryRecorder::Crashed(int64_t process) const { return crashed_.contains(process); }

void HistoryRecorder::Invoke(int64_t process, std::string f, std::optional<std::string> key,
                             Value value, int64_t time_ns, std::string node) {
  SIM_ASSERT_MSG(!Open(process), Cat("process ", process, " invokes ", f, " with an operation open"));
  SIM_ASSERT_MSG(!Crashed(process), Cat("process ", process, " invokes ", f, " after an info"));
  Op op;
  op.index = static_cast<int64_t>(history_.ops.size());
  op.process = process;
  op.type = OpType::kInvoke;
  op.f = std::move(f);
  op.key = std::move(key);
  op.value = std::move(value);
  op.time_ns = time_ns;
  op.node = std::move(node);
  open_.emplace(process, history_.ops.size());
  history_.ops.push_back(std::move(op));
}

void HistoryRecorder::Complete(int64_t process, OpType type, Value value, int64_t time_ns, std::string node,
                               std::string version) {
  SIM_ASSERT_MSG(type != OpType::kInvoke, "Complete takes ok, fail or info");
  auto it = open_.find(process);
  SIM_ASSERT_MSG(it != open_.end(), Cat("process ", process, " completes with nothing open"));
  const Op& inv = history_.ops[it->second];
  SIM_ASSERT_MSG(time_ns < 0 || inv.time_ns < 0 || time_ns >= inv.time_ns,
                 "a completion precedes its invocation in time");
  Op op;
  op.index = static_cast<int64_t>(history_.ops.size());
  op.process = process;
  op.type = type;
  op.f = inv.f;
  op.key = inv.key;
  op.value = std::move(value);
  op.time_ns = time_ns;
  op.node = node.empty() ? inv.node : std::move(node);
  op.version = std::move(version);
  open_.erase(it);
  if (type == OpType::kInfo) crashed_.insert(process);
  history_.ops.push_back(std::move(op));
}

void HistoryRecorder::Nemesis(OpType type, std::string f, Value value, int64_t time_ns) {
  Op op;
  op.index = static_cast<int64_t>(history_.ops.size());
  op.process_name = "nemesis";
  op.type = type;
  op.f = std::move(f);
  op.value = std::move(value);
  op.time_ns = time_ns;
  history_.ops.push_back(std::move(op));
}

}  // namespace faultline
