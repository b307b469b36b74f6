// fifo-queue: enqueue v and dequeue (returns the oldest element, or nil when
// empty). A dequeue whose result is unknown removes the front, if any.
#include "sim/check/models/more.h"
#include "sim/check/models/common.h"

namespace faultline {
namespace {

struct QueueOp {
  bool dequeue = false;
  std::string element;  // enqueued, or dequeued ("" with nil_result)
  bool nil_result = false;
};

struct Queue {
  using State = std::vector<std::string>;  // front first
  using Input = QueueOp;
  Result<Input> Compile(const Operation& op) const {
    if (op.f == "enqueue") return Input{false, op.input.ToEdn(), false};
    if (op.f == "dequeue") {
      if (op.info) return Input{true, "", false};
      return Input{true, op.output.ToEdn(), op.output.is_nil()};
    }
    return models::UnknownF(op, "enqueue, dequeue");
  }
  bool ConstrainsNothing(const Input&, bool) const { return false; }
  State Init() const { return {}; }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    if (!in.dequeue) {
      *next = s;
      next->push_back(in.element);
      return true;
    }
    if (info) {  // took the front, whatever it was; an empty queue: nothing to take
      if (s.empty()) return false;
      next->assign(s.begin() + 1, s.end());
      return true;
    }
    if (in.nil_result) {
      *next = s;
      return s.empty();
    }
    if (s.empty() || s.front() != in.element) return false;
    next->assign(s.begin() + 1, s.end());
    return true;
  }
  uint64_t Hash(const State& s) const { return models::HashStrings(s); }
  std::string Describe(const State& s) const { return Cat("[", Join(s, " "), "]"); }
};

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: a queue starts empty");
  return models::Run(Queue{}, ops, budget);
}

}  // namespace

ModelInfo FifoQueueModel() {
  return {"fifo-queue", "enqueue v, dequeue (the oldest, or nil); initially empty", false, Check};
}

}  // namespace faultline
