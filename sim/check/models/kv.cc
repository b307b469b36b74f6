// kv: per key, read (get), write (put) and cas [old new] over nil, integers
// and strings; every key initially nil; checked key by key.
#include "sim/check/models/more.h"
#include "sim/check/models/common.h"

namespace faultline {
namespace {

struct KvOp {
  enum class F : uint8_t { kRead, kWrite, kCas } f;
  Value a;  // read result, write value, cas old
  Value b;  // cas new
};

struct Kv {
  using State = Value;
  using Input = KvOp;
  Result<Input> Compile(const Operation& op) const {
    if (op.f == "read" || op.f == "get") return Input{KvOp::F::kRead, op.output, {}};
    if (op.f == "write" || op.f == "put") return Input{KvOp::F::kWrite, op.input, {}};
    if (op.f == "cas") {
      if (!op.input.is_list() || op.input.items().size() != 2) {
        return InvalidArgument(Cat(DescribeOperation(op), ": expected a cas value [old new], found ",
                                   op.input.ToEdn()));
      }
      return Input{KvOp::F::kCas, op.input.items()[0], op.input.items()[1]};
    }
    return models::UnknownF(op, "read, write, cas (get, put)");
  }
  bool ConstrainsNothing(const Input& in, bool info) const {
    return info && in.f == KvOp::F::kRead;
  }
  bool ReadOnly(const Input& in, bool) const { return in.f == KvOp::F::kRead; }
  const State* Sets(const Input& in) const {
    if (in.f == KvOp::F::kRead) return nullptr;
    return in.f == KvOp::F::kWrite ? &in.a : &in.b;
  }
  const State* Needs(const Input& in) const {  // a read its result, a cas its old value
    return in.f == KvOp::F::kWrite ? nullptr : &in.a;
  }
  State Init() const { return Value(); }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    switch (in.f) {
      case KvOp::F::kRead:
        *next = s;
        return in.a == s;
      case KvOp::F::kWrite:
        *next = in.a;
        return true;
      case KvOp::F::kCas:
        if (!(s == in.a)) return false;
        *next = in.b;
        return true;
    }
    return false;
  }
  uint64_t Hash(const State& s) const { return HashString(s.ToEdn()); }
  std::string Describe(const State& s) const { return s.ToEdn(); }
};

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: kv keys start as nil");
  return models::Run(Kv{}, ops, budget);
}

}  // namespace

ModelInfo KvModel() {
  return {"kv", "per key: read, write, cas [old new]; keys start nil; checked per key", true, Check};
}

}  // namespace faultline
