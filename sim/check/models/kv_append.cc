#include "sim/check/models/kv_append.h"

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "sim/check/models/common.h"

namespace faultline {
namespace {

// Strings are interned: a state holds one id per key, equal strings have
// equal ids, and an append of (value, suffix) is computed once.
class Strings {
 public:
  Strings() { Intern(""); }
  uint32_t Intern(const std::string& s) {
    auto [it, added] = ids_.emplace(s, static_cast<uint32_t>(by_id_.size()));
    if (added) by_id_.push_back(s);
    return it->second;
  }
  uint32_t Append(uint32_t value, uint32_t suffix) {
    const uint64_t pair = (uint64_t{value} << 32) | suffix;
    auto it = appended_.find(pair);
    if (it != appended_.end()) return it->second;
    const uint32_t id = Intern(by_id_[value] + by_id_[suffix]);
    appended_.emplace(pair, id);
    return id;
  }
  const std::string& operator[](uint32_t id) const { return by_id_[id]; }

 private:
  std::vector<std::string> by_id_;
  // Lookup only, never iterated. tidy:allow(unordered)
  absl::flat_hash_map<std::string, uint32_t> ids_;
  absl::flat_hash_map<uint64_t, uint32_t> appended_;  // tidy:allow(unordered) lookup only
};

struct KvOp {
  enum class F : uint8_t { kGet, kPut, kAppend } f;
  uint32_t key = 0;  // dense index of the key within the checked part
  uint32_t arg = 0;  // interned: put/append value; get result
};

// The state is one interned string per key of the part checked: a single
// key when partitioned, the whole map when not (--no-partition).
struct KvAppend {
  using State = absl::InlinedVector<uint32_t, 16>;
  using Input = KvOp;
  std::vector<std::string> keys;  // by index, for Describe
  absl::btree_map<std::string, uint32_t> index;  // key -> its index
  mutable Strings strings;        // a cache: Step stays a function of its inputs

  Result<Input> Compile(const Operation& op) const;  // below
  bool ConstrainsNothing(const Input& in, bool info) const {
    return info && in.f == KvOp::F::kGet;  // an unknown read
  }

  bool ReadOnly(const Input& in, bool) const { return in.f == KvOp::F::kGet; }
  State Init() const { return State(keys.size(), 0); }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    *next = s;
    switch (in.f) {
      case KvOp::F::kGet: return info || in.arg == s[in.key];
      case KvOp::F::kPut: (*next)[in.key] = in.arg; return true;
      case KvOp::F::kAppend: (*next)[in.key] = strings.Append(s[in.key], in.arg); return true;
    }
    return false;
  }
  uint64_t Hash(const State& s) const {
    uint64_t h = s.size();
    for (uint32_t v : s) h = Mix64(h ^ v) + 0x9e3779b97f4a7c15ULL;
    return h;
  }
  std::string Describe(const State& s) const {
    if (s.size() == 1) return Value::String(strings[s[0]]).ToEdn();
    std::string out = "{";
    for (size_t i = 0; i < s.size(); ++i) {
      faultline::Append(&out, i ? ", " : "", Value::String(keys[i]).ToEdn(), " ",
                        Value::String(strings[s[i]]).ToEdn());
    }
    return out + "}";
  }
};

Result<std::string> Text(const Value& v, const Operation& op, std::string_view what) {
  if (v.is_nil()) return std::string();
  if (v.is_string()) return v.text();
  if (v.is_int()) return Cat(v.int_value());
  return InvalidArgument(Cat(DescribeOperation(op), ": expected ", what, " to be a string, found ",
                             v.ToEdn()));
}

Result<KvOp> KvAppend::Compile(const Operation& op) const {
  KvOp in{};
  in.key = index.at(op.key.value_or(""));
  if (op.f == "get" || op.f == "read") {
    in.f = KvOp::F::kGet;
    if (op.info) return in;
    Result<std::string> r = Text(op.output, op, "the value read");
    if (!r.ok()) return r.status();
    in.arg = strings.Intern(*r);
    return in;
  }
  if (op.f == "put" || op.f == "write" || op.f == "append") {
    in.f = op.f == "append" ? KvOp::F::kAppend : KvOp::F::kPut;
    Result<std::string> w = Text(op.input, op, "the value written");
    if (!w.ok()) return w.status();
    in.arg = strings.Intern(*w);
    return in;
  }
  return models::UnknownF(op, "get, put, append");
}

Result<PartitionResult> Check(const std::vector<const Operation*>& ops, const ModelOptions& options,
                              const CheckBudget& budget) {
  if (options.init) return InvalidArgument("--init: kv-append keys always start as \"\"");
  KvAppend model;
  for (const Operation* op : ops) model.index.emplace(op->key.value_or(""), 0);
  for (auto& [key, id] : model.index) {  // dense ids in key order
    id = static_cast<uint32_t>(model.keys.size());
    model.keys.push_back(key);
  }
  return models::Run(model, ops, budget);
}

}  // namespace

ModelInfo KvAppendModel() {
  return {"kv-append", "string keys to string values: get, put, append; checked per key", true,
          Check};
}

}  // namespace faultline
