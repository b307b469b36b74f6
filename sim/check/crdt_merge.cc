#include "sim/check/crdt_merge.h"

#include <algorithm>

#include "absl/container/btree_set.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

bool StartsWith(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

// Sums reachable from `base` by adding any subset of `maybe`; empty if
// there would be more than `cap` (then only the range is checked).
absl::btree_set<int64_t> SubsetSums(int64_t base, const std::vector<int64_t>& maybe, size_t cap) {
  absl::btree_set<int64_t> sums{base};
  for (int64_t d : maybe) {
    absl::btree_set<int64_t> next = sums;
    for (int64_t s : sums) next.insert(s + d);
    if (next.size() > cap) return {};
    sums = std::move(next);
  }
  return sums;
}

void Counters(const std::vector<Operation>& ops, const CrdtFinal& fin, std::vector<CrdtProblem>* out) {
  absl::btree_map<std::string, int64_t> acked;
  absl::btree_map<std::string, std::vector<int64_t>> maybe;
  absl::btree_map<std::string, std::vector<size_t>> ids;
  for (const Operation& op : ops) {
    if (!op.key || !StartsWith(*op.key, "ctr:") || op.f != "incr" || !op.input.is_int()) continue;
    if (op.info) {
      maybe[*op.key].push_back(op.input.int_value());
    } else {
      acked[*op.key] += op.input.int_value();
    }
    ids[*op.key].push_back(op.id);
  }
  absl::btree_set<std::string> keys;
  for (const auto& [k, v] : acked) keys.insert(k);
  for (const auto& [k, v] : maybe) keys.insert(k);
  for (const auto& [k, v] : fin.counters) keys.insert(k);
  for (const std::string& k : keys) {
    const int64_t base = acked.contains(k) ? acked.at(k) : 0;
    const std::vector<int64_t> infos = maybe.contains(k) ? maybe.at(k) : std::vector<int64_t>{};
    const int64_t got = fin.counters.contains(k) ? fin.counters.at(k) : 0;
    absl::btree_set<int64_t> sums = SubsetSums(base, infos, 1 << 16);
    bool possible = false;
    if (!sums.empty()) {
      possible = sums.contains(got);
    } else {  // too many to enumerate: the range
      int64_t lo = base, hi = base;
      for (int64_t d : infos) (d < 0 ? lo : hi) += d;
      possible = got >= lo && got <= hi;
    }
    if (!possible) {
      out->push_back(CrdtProblem{k, Cat("counter is ", got, "; acknowledged increments sum to ", base, " and ",
                                        infos.size(), " unacknowledged ones cannot make up the difference"),
                                 ids.contains(k) ? ids.at(k) : std::vector<size_t>{}});
    }
  }
}

// Sets and registers share a shape: values put by "adders" (add / write),
// taken away by "removers" (remove / a later write of the register).
void Members(const std::vector<Operation>& ops, const absl::btree_map<std::string, std::vector<std::string>>& fin,
             std::string_view prefix, std::string_view add, std::vector<CrdtProblem>* out) {
  const bool is_set = prefix == "set:";
  absl::btree_map<std::string, std::vector<const Operation*>> adds, removes;
  for (const Operation& op : ops) {
    if (!op.key || !StartsWith(*op.key, prefix) || !op.input.is_string()) continue;
    if (op.f == add) adds[*op.key].push_back(&op);
    if (is_set && op.f == "remove") removes[*op.key].push_back(&op);
  }
  absl::btree_set<std::string> keys;
  for (const auto& [k, v] : adds) keys.insert(k);
  for (const auto& [k, v] : fin) keys.insert(k);
  for (const std::string& k : keys) {
    static const std::vector<std::string> kNone;
    const std::vector<std::string>& held = fin.contains(k) ? fin.at(k) : kNone;
    const std::vector<const Operation*>& a = adds[k];
    for (const std::string& v : held) {  // nothing appears from nowhere
      const bool put = std::any_of(a.begin(), a.end(), [&](const Operation* o) { return o->input.text() == v; });
      if (!put) out->push_back(CrdtProblem{k, Cat("holds ", Value::String(v).ToEdn(), ", which nothing ", add, "ed"), {}});
    }
    // An acknowledged add or write that nothing could have followed must
    // stay: for a set, every remove of the element completed before it was
    // invoked; for a register, every other write did.
    for (const Operation* o : a) {
      if (o->info) continue;
      const std::string& v = o->input.text();
      bool could_be_undone = false;
      for (const Operation* r : is_set ? removes[k] : a) {
        if (r == o || (is_set && r->input.text() != v)) continue;
        could_be_undone = could_be_undone || r->ret > o->call;  // not over before o began (info: never over)
      }
      if (!could_be_undone && std::find(held.begin(), held.end(), v) == held.end()) {
        out->push_back(CrdtProblem{k, Cat("lost ", Value::String(v).ToEdn(), ": acknowledged, and nothing invoked after it could have ",
                                          is_set ? "removed" : "overwritten", " it"),
                                   {o->id}});
      }
    }
  }
}

}  // namespace

CrdtMergeResult CheckCrdtMerge(const std::vector<Operation>& ops, const CrdtFinal& final_state) {
  CrdtMergeResult out;
  Counters(ops, final_state, &out.problems);
  Members(ops, final_state.sets, "set:", "add", &out.problems);
  Members(ops, final_state.registers, "reg:", "write", &out.problems);
  if (!out.problems.empty()) out.verdict = Verdict::kViolation;
  out.message = out.problems.empty() ? "the final state is a merge of effects that may have happened"
                                     : Cat(out.problems.size(), " problem(s); first: ", out.problems[0].key, ": ",
                                           out.problems[0].why);
  return out;
}

}  // namespace faultline
