// set: add v and read (the whole set, any order). Elements are compared by
// their EDN text, so integers and strings may both appear.
#include <algorithm>

#include "sim/check/models/more.h"
#include "sim/check/models/common.h"

namespace faultline {
namespace {

struct SetOp {
  bool read = false;
  std::vector<std::string> elements;  // add: one; read: sorted, distinct
};

struct Set {
  using State = std::vector<std::string>;  // sorted, distinct
  using Input = SetOp;
  Result<Input> Compile(const Operation& op) const {
    if (op.f == "add") return Input{false, {op.input.ToEdn()}};
    if (op.f == "read") {
      SetOp in{true, {}};
      if (op.info) return in;
      if (!op.output.is_list()) {
        return InvalidArgument(Cat(DescribeOperation(op), ": expected the read to return a set or "
                                   "vector, found ", op.output.ToEdn()));
      }
      for (const Value& v : op.output.items()) in.elements.push_back(v.ToEdn());
      std::sort(in.elements.begin(), in.elements.end());
      in.elements.erase(std::unique(in.elements.begin(), in.elements.end()), in.elements.end());
      return in;
    }
    return models::UnknownF(op, "add, read");
  }
  bool ConstrainsNothing(const Input& in, bool info) const { return in.read && info; }
  bool ReadOnly(const Input& in, bool) const { return in.read; }
  State Init() const { return {}; }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    if (in.read) {
      *next = s;
      return in.elements == s;
    }
    *next = s;
    auto at = std::lower_bound(next->begin(), next->end(), in.elements[0]);
    if (at == next->end() || *at != in.elements[0]) next->insert(at, in.elements[0]);
    return true;
  }
  uint64_t Hash(const State& s) const { return models::HashStrings(s); }
  std::string Describe(const State& s) const { return Cat("#{", Join(s, " "), "}"); }
};

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: a set starts empty");
  return models::Run(Set{}, ops, budget);
}

}  // namespace

ModelInfo SetModel() { return {"set", "add v and read the whole set; initially empty", false, Check}; }

}  // namespace faultline
