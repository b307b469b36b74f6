#include "sim/check/models/kv_append.h"

#include "sim/check/wgl.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

struct KvOp {
  enum class F : uint8_t { kGet, kPut, kAppend } f;
  std::string arg;  // put/append value; get result
};

struct KvAppend {
  using State = std::string;
  using Input = KvOp;

  State Init() const { return std::string(); }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    switch (in.f) {
      case KvOp::F::kGet:
        *next = s;
        return info || in.arg == s;
      case KvOp::F::kPut:
        *next = in.arg;
        return true;
      case KvOp::F::kAppend:
        *next = s + in.arg;
        return true;
    }
    return false;
  }
  uint64_t Hash(const State& s) const { return HashString(s); }
  std::string Describe(const State& s) const { return Value::String(s).ToEdn(); }
};

Result<std::string> Text(const Value& v, const Operation& op, std::string_view what) {
  if (v.is_nil()) return std::string();
  if (v.is_string()) return v.text();
  if (v.is_int()) return Cat(v.int_value());
  return InvalidArgument(Cat(DescribeOperation(op), ": expected ", what, " to be a string, found ",
                             v.ToEdn()));
}

Result<KvOp> Compile(const Operation& op) {
  KvOp in{};
  if (op.f == "get" || op.f == "read") {
    in.f = KvOp::F::kGet;
    if (op.info) return in;
    Result<std::string> r = Text(op.output, op, "the value read");
    if (!r.ok()) return r.status();
    in.arg = std::move(*r);
    return in;
  }
  if (op.f == "put" || op.f == "write" || op.f == "append") {
    in.f = op.f == "append" ? KvOp::F::kAppend : KvOp::F::kPut;
    Result<std::string> w = Text(op.input, op, "the value written");
    if (!w.ok()) return w.status();
    in.arg = std::move(*w);
    return in;
  }
  return InvalidArgument(Cat(DescribeOperation(op), ": the model has no :", op.f,
                             " (known: get, put, append)"));
}

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: kv-append keys always start as \"\"");
  KvAppend model;
  wgl::Problem<KvAppend> p{&model, {}, {}};
  for (const Operation* op : ops) {
    Result<KvOp> in = Compile(*op);
    if (!in.ok()) return in.status();
    if (op->info && in->f == KvOp::F::kGet) continue;  // constrains nothing
    p.ops.push_back(op);
    p.inputs.push_back(std::move(*in));
  }
  return wgl::Search(p, budget);
}

}  // namespace

ModelInfo KvAppendModel() {
  return {"kv-append", "string keys to string values: get, put, append; checked per key", true,
          Check};
}

}  // namespace faultline
