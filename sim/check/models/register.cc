#include "sim/check/models/register.h"

#include "sim/check/models/common.h"

namespace faultline {
namespace {

constexpr int64_t kNil = INT64_MIN;  // the register's "no value"

struct RegisterOp {
  enum class F : uint8_t { kRead, kWrite, kCas } f;
  int64_t a = kNil;  // write value; cas old; read result
  int64_t b = kNil;  // cas new
};

struct Register {
  using State = int64_t;
  using Input = RegisterOp;
  int64_t init = kNil;
  bool allow_cas = true;

  Result<Input> Compile(const Operation& op) const;  // below
  bool ConstrainsNothing(const Input& in, bool info) const {
    return info && in.f == RegisterOp::F::kRead;  // an unknown read
  }

  bool ReadOnly(const Input& in, bool) const { return in.f == RegisterOp::F::kRead; }
  const State* Sets(const Input& in) const { return in.f == RegisterOp::F::kRead ? nullptr : &in.b; }
  const State* Needs(const Input& in) const {  // a read its result, a cas its old value
    return in.f == RegisterOp::F::kWrite ? nullptr : &in.a;
  }
  State Init() const { return init; }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    switch (in.f) {
      case RegisterOp::F::kRead:
        *next = s;
        return info || in.a == s;  // an unknown read constrains nothing
      case RegisterOp::F::kWrite:
        *next = in.b;
        return true;
      case RegisterOp::F::kCas:
        if (s != in.a) return false;  // an info cas that failed is dropped
        *next = in.b;
        return true;
    }
    return false;
  }
  uint64_t Hash(const State& s) const { return Mix64(static_cast<uint64_t>(s)); }
  std::string Describe(const State& s) const { return s == kNil ? "nil" : Cat(s); }
};

Result<int64_t> IntOrNil(const Value& v, const Operation& op, std::string_view what) {
  if (v.is_nil()) return kNil;
  if (v.is_int() && v.int_value() == kNil) {
    return InvalidArgument(Cat(DescribeOperation(op), ": ", what, " is -2^63, which the register "
                               "models reserve for nil"));
  }
  if (v.is_int()) return v.int_value();
  return InvalidArgument(Cat(DescribeOperation(op), ": expected ", what,
                             " to be an integer or nil, found ", v.ToEdn()));
}

Result<RegisterOp> Register::Compile(const Operation& op) const {
  RegisterOp in{};
  if (op.f == "read") {
    in.f = RegisterOp::F::kRead;
    if (op.info) return in;
    Result<int64_t> r = IntOrNil(op.output, op, "the read's result");
    if (!r.ok()) return r.status();
    in.a = *r;
    return in;
  }
  if (op.f == "write") {
    in.f = RegisterOp::F::kWrite;
    Result<int64_t> w = IntOrNil(op.input, op, "the written value");
    if (!w.ok()) return w.status();
    in.b = *w;
    return in;
  }
  if (op.f == "cas" && allow_cas) {
    in.f = RegisterOp::F::kCas;
    if (!op.input.is_list() || op.input.items().size() != 2) {
      return InvalidArgument(Cat(DescribeOperation(op), ": expected a cas value [old new], found ",
                                 op.input.ToEdn()));
    }
    Result<int64_t> a = IntOrNil(op.input.items()[0], op, "cas's old value");
    if (!a.ok()) return a.status();
    Result<int64_t> b = IntOrNil(op.input.items()[1], op, "cas's new value");
    if (!b.ok()) return b.status();
    in.a = *a;
    in.b = *b;
    return in;
  }
  return models::UnknownF(op, allow_cas ? "read, write, cas" : "read, write");
}

PartitionChecker Checker(int64_t default_init, bool allow_cas) {
  return [=](const std::vector<const Operation*>& ops, const ModelOptions& options,
             const CheckBudget& budget) -> Result<PartitionResult> {
    Register model;
    model.allow_cas = allow_cas;
    model.init = default_init;
    if (options.init) {
      if (!options.init->is_nil() && !options.init->is_int()) {
        return InvalidArgument(Cat("--init: expected an integer or nil, found ",
                                   options.init->ToEdn()));
      }
      model.init = options.init->is_nil() ? kNil : options.init->int_value();
    }
    return models::Run(model, ops, budget);
  };
}

}  // namespace

ModelInfo RegisterModel() {
  return {"register", "read/write register, initially nil", false, Checker(kNil, false)};
}
ModelInfo CasRegisterModel() {
  return {"cas-register", "read/write/cas register, initially 0 (as Knossos's)", false,
          Checker(0, true)};
}
ModelInfo EtcdCasRegisterModel() {
  return {"etcd-cas-register", "read/write/cas register, initially nil (Porcupine's etcd tests)",
          false, Checker(kNil, true)};
}

}  // namespace faultline
