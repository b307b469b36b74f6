#include "sim/check/models.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "sim/check/models/kv_append.h"
#include "sim/check/models/more.h"
#include "sim/check/models/register.h"
#include "sim/core/strings.h"

namespace faultline {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kOk: return "ok";
    case Verdict::kViolation: return "violation";
    case Verdict::kUnknown: return "unknown";
  }
  return "?";
}

std::string UndecidedMessage(const std::vector<std::string>& undecided, size_t total, std::string_view noun) {
  constexpr size_t kNamed = 5;
  const std::vector<std::string> named(undecided.begin(), undecided.begin() + std::min(undecided.size(), kNamed));
  return Cat("search budget spent, ", undecided.size(), " of ", total, " ", noun, " undecided: ", Join(named, ", "),
             undecided.size() > kNamed ? ", ..." : "");
}

const std::vector<ModelInfo>& Models() {
  static const std::vector<ModelInfo> models = {
      RegisterModel(), CasRegisterModel(), EtcdCasRegisterModel(), KvAppendModel(),
      KvModel(),       SetModel(),        CounterModel(),         FifoQueueModel(),
      MutexModel(),
  };
  return models;
}

Result<const ModelInfo*> FindModel(std::string_view name) {
  std::vector<std::string> names;
  for (const ModelInfo& m : Models()) {
    if (m.name == name) return &m;
    names.push_back(m.name);
  }
  return InvalidArgument(Cat("unknown model '", name, "' (known: ", Join(names, ", "), ")"));
}

std::string DescribeOperation(const Operation& op) {
  std::string out = Cat("op ", op.invoke_index, " (process ", op.process, "): ", op.f);
  if (op.key) Append(&out, " ", Value::String(*op.key).ToEdn());
  if (!op.input.is_nil()) Append(&out, " ", op.input.ToEdn());
  if (op.info) {
    Append(&out, " -> info");
  } else {
    Append(&out, " -> ok");
    if (!op.output.is_nil() && op.output != op.input) Append(&out, " ", op.output.ToEdn());
  }
  return out;
}

Result<CheckResult> CheckLinearizable(const std::vector<Operation>& ops, const ModelInfo& model,
                                      const ModelOptions& options, const CheckBudget& budget) {
  // Partitions in key order (btree: deterministic); unkeyed models get one.
  absl::btree_map<std::string, std::vector<const Operation*>> parts;
  for (const Operation& op : ops) {
    std::string key = model.partition_by_key && !budget.no_partition ? op.key.value_or("") : "";
    parts[key].push_back(&op);
  }
  CheckResult out;
  bool stop = false;
  StepShares shares(budget, parts.size());
  for (const auto& [key, part] : parts) {
    PartitionResult r;
    const CheckBudget* part_budget = shares.Next();
    if (stop || part_budget == nullptr) {
      r.verdict = Verdict::kUnknown;
      r.unknown_reason = stop ? "skipped (fail-fast)" : "step budget";
      r.operations = part.size();
    } else {
      const int64_t start = budget.now_ns ? budget.now_ns() : 0;
      Result<PartitionResult> got = model.check(part, options, *part_budget);
      if (!got.ok()) return got.status();
      r = std::move(*got);
      if (budget.now_ns) r.nanos = budget.now_ns() - start;
      shares.Used(r.steps);
    }
    r.key = key;
    if (r.verdict == Verdict::kViolation) {
      out.verdict = Verdict::kViolation;
      stop = budget.fail_fast;
    } else if (r.verdict == Verdict::kUnknown && out.verdict == Verdict::kOk) {
      out.verdict = Verdict::kUnknown;
    }
    out.partitions.push_back(std::move(r));
  }
  return out;
}

}  // namespace faultline
