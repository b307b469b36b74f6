// counter: add n (or incr, n defaulting to 1) and read; initially 0 (--init).
#include "sim/check/models/more.h"

#include "sim/check/models/common.h"

namespace faultline {
namespace {

struct CounterOp {
  bool read = false;
  int64_t n = 0;  // the amount added, or the value read
};

struct Counter {
  using State = int64_t;
  using Input = CounterOp;
  int64_t init = 0;

  Result<Input> Compile(const Operation& op) const {
    if (op.f == "read") {
      if (op.info) return Input{true, 0};
      Result<int64_t> v = models::IntValue(op.output, op, "the value read");
      if (!v.ok()) return v.status();
      return Input{true, *v};
    }
    if (op.f == "add" || op.f == "incr") {
      if (op.input.is_nil()) return Input{false, 1};
      Result<int64_t> v = models::IntValue(op.input, op, "the amount added");
      if (!v.ok()) return v.status();
      return Input{false, *v};
    }
    return models::UnknownF(op, "add, incr, read");
  }
  bool ConstrainsNothing(const Input& in, bool info) const { return in.read && info; }
  bool ReadOnly(const Input& in, bool) const { return in.read; }
  State Init() const { return init; }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    if (in.read) {
      *next = s;
      return in.n == s;
    }
    *next = static_cast<int64_t>(static_cast<uint64_t>(s) + static_cast<uint64_t>(in.n));
    return true;
  }
  uint64_t Hash(const State& s) const { return Mix64(static_cast<uint64_t>(s)); }
  std::string Describe(const State& s) const { return Cat(s); }
};

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  Counter model;
  if (options.init) {
    if (!options.init->is_int()) return InvalidArgument("--init: a counter starts at an integer");
    model.init = options.init->int_value();
  }
  return models::Run(model, ops, budget);
}

}  // namespace

ModelInfo CounterModel() {
  return {"counter", "add n (incr: 1) and read; initially 0", false, Check};
}

}  // namespace faultline
