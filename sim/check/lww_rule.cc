#include "sim/check/lww_rule.h"

#include "absl/container/btree_map.h"
#include "sim/check/writes.h"
#include "sim/core/strings.h"

namespace faultline {
LwwRuleResult CheckLwwRule(const std::vector<Operation>& ops, const ReplicaState& final_state) {
  LwwRuleResult out;
  absl::btree_map<std::string, std::vector<const Operation*>> writes;
  for (const Operation& op : ops) {
    Value v;
    if (op.key && WriteEffect(op, &v)) writes[*op.key].push_back(&op);
  }
  for (const auto& [key, list] : writes) {
    ++out.keys;
    auto fv = final_state.versions.find(key);
    auto fval = final_state.values.find(key);
    const Value held = fval == final_state.values.end() ? Value() : Value::String(fval->second);
    const Operation* max_ack = nullptr;
    for (const Operation* w : list) {
      if (!w->info && !w->version.empty() && (max_ack == nullptr || w->version > max_ack->version)) max_ack = w;
    }
    if (fv == final_state.versions.end()) {
      if (max_ack != nullptr) {
        out.problems.push_back(LwwRuleProblem{key, Cat("holds no version, but a write was acknowledged with ",
                                                       max_ack->version), {max_ack->id}});
      }
      continue;
    }
    const std::string& version = fv->second;
    if (max_ack != nullptr && version < max_ack->version) {
      out.problems.push_back(LwwRuleProblem{
          key, Cat("holds version ", version, " below acknowledged write ", max_ack->version), {max_ack->id}});
      continue;
    }
    const Operation* same = nullptr;
    for (const Operation* w : list) {
      if (!w->info && w->version == version) same = w;
    }
    Value v;
    if (same != nullptr) {
      WriteEffect(*same, &v);
      if (v != held) {
        out.problems.push_back(LwwRuleProblem{
            key, Cat("holds ", held.ToEdn(), " at version ", version, ", which wrote ", v.ToEdn()), {same->id}});
      }
      continue;
    }
    // A version the history does not know: an unacknowledged write, or an
    // earlier attempt of an acknowledged one (each attempt is stamped), may
    // have won, if it wrote this value.
    bool maybe = false;
    for (const Operation* w : list) maybe = maybe || (WriteEffect(*w, &v) && v == held);
    if (!maybe) {
      out.problems.push_back(LwwRuleProblem{key, Cat("holds ", held.ToEdn(), " at version ", version,
                                                     ", which no write that may have happened had"), {}});
    }
  }
  if (!out.problems.empty()) out.verdict = Verdict::kViolation;
  out.message = out.problems.empty() ? Cat("every one of ", out.keys, " keys holds its greatest write")
                                     : Cat(out.problems.size(), " of ", out.keys, " keys break the rule; first: ",
                                           out.problems[0].key, ": ", out.problems[0].why);
  return out;
}

}  // namespace faultline
