// Shared by the model files: running a model's search over one partition.
// A model adds to wgl.h's interface:
//   Result<Input> Compile(const Operation& op) const;  // error names op
//   bool ConstrainsNothing(const Input& in, bool info) const;  // e.g. an info read
#pragma once

#include "sim/check/models.h"
#include "sim/check/wgl.h"
#include "sim/core/strings.h"

namespace faultline::models {

template <typename M>
Result<PartitionResult> Run(const M& model, const std::vector<const Operation*>& ops,
                            const CheckBudget& budget) {
  wgl::Problem<M> p{&model, {}, {}};
  for (const Operation* op : ops) {
    Result<typename M::Input> in = model.Compile(*op);
    if (!in.ok()) return in.status();
    if (model.ConstrainsNothing(*in, op->info)) continue;
    p.ops.push_back(op);
    p.inputs.push_back(std::move(*in));
  }
  return wgl::Search(p, budget);
}

// An order-sensitive hash of a sequence of strings (a queue, a sorted set).
inline uint64_t HashStrings(const std::vector<std::string>& items) {
  uint64_t h = items.size();
  for (const std::string& e : items) h = Mix64(h ^ HashString(e));
  return h;
}

inline Status UnknownF(const Operation& op, std::string_view known) {
  return InvalidArgument(Cat(DescribeOperation(op), ": the model has no :", op.f, " (known: ",
                             known, ")"));
}

inline Result<int64_t> IntValue(const Value& v, const Operation& op, std::string_view what) {
  if (v.is_int()) return v.int_value();
  return InvalidArgument(Cat(DescribeOperation(op), ": expected ", what, " to be an integer, found ",
                             v.ToEdn()));
}

}  // namespace faultline::models
