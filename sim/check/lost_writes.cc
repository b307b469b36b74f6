#include "sim/check/lost_writes.h"

#include "sim/check/writes.h"
#include "sim/core/strings.h"

namespace faultline {
size_t LostWritesResult::Count(LostWrite::How how) const {
  size_t n = 0;
  for (const LostWrite& l : lost) n += l.how == how;
  return n;
}

LostWritesResult CheckNoLostWrites(const std::vector<Operation>& ops,
                                   const absl::btree_map<std::string, std::string>& final_values) {
  LostWritesResult out;
  // Per key: the writes (ok or info: both may have taken effect), and
  // among them those whose value is the final one.
  absl::btree_map<std::string, std::vector<const Operation*>> writes, winners;
  for (const Operation& op : ops) {
    Value v;
    if (!op.key || !WriteEffect(op, &v)) continue;
    writes[*op.key].push_back(&op);
    auto fin = final_values.find(*op.key);
    const bool is_final = fin == final_values.end() ? v.is_nil() : v == Value::String(fin->second);
    if (is_final) winners[*op.key].push_back(&op);
  }
  for (const auto& [key, value] : final_values) {
    if (!winners.contains(key)) out.phantoms.push_back(key);
  }
  for (const auto& [key, list] : writes) {
    const std::vector<const Operation*>& won = winners[key];
    for (const Operation* w : list) {
      if (w->info) continue;  // not acknowledged: never lost
      ++out.acknowledged;
      bool survives = false, later = false, overlap = false;
      for (const Operation* c : won) {
        survives = survives || c == w;
        overlap = overlap || (c->call < w->ret && w->call < c->ret);
      }
      // Any write invoked after w completed may have overwritten it
      // legitimately (what holds the key now may have come after that).
      for (const Operation* x : list) later = later || (x != w && x->call > w->ret);
      if (survives || later) continue;
      LostWrite l{w->id, key, won.empty() ? LostWrite::kVanished : overlap ? LostWrite::kConcurrent : LostWrite::kEarlier, {}};
      for (const Operation* c : won) l.winners.push_back(c->id);
      out.lost.push_back(std::move(l));
    }
  }
  // Losing to a concurrent write is what a conflict rule does (and what a
  // linearizable store does too: one of them is last): reported, not a
  // violation. Losing to an earlier write, vanishing, and phantoms are.
  if (out.Count(LostWrite::kEarlier) + out.Count(LostWrite::kVanished) > 0 || !out.phantoms.empty()) {
    out.verdict = Verdict::kViolation;
  }
  out.message = Cat(out.lost.size(), " of ", out.acknowledged, " acknowledged writes lost (",
                    out.Count(LostWrite::kConcurrent), " to concurrent writes, ", out.Count(LostWrite::kEarlier),
                    " to earlier ones, ", out.Count(LostWrite::kVanished), " vanished)",
                    out.phantoms.empty() ? "" : Cat("; ", out.phantoms.size(), " key(s) hold a value no write wrote"));
  return out;
}

}  // namespace faultline
