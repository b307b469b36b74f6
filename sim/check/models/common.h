// Shared by the model files: running a model's search over one partition.
// A model adds to wgl.h's interface:
//   Result<Input> Compile(const Operation& op) const;  // error names op
//   bool ConstrainsNothing(const Input& in, bool info) const;  // e.g. an info read
// and may add (SetsState below), for registers and key-value stores:
//   const State* Sets(const Input& in) const;   // the one state `in` leaves whenever it applies, or null
//   const State* Needs(const Input& in) const;  // the one state `in` applies from; null: any (blind)
// (pointers into `in`: nothing is copied)
#pragma once

#include <algorithm>
#include <concepts>

#include "sim/check/models.h"
#include "sim/check/wgl.h"
#include "sim/core/strings.h"

namespace faultline::models {

template <typename M>
concept SetsState = requires(const M& m, const typename M::Input& in) {
  { m.Sets(in) } -> std::same_as<const typename M::State*>;
  { m.Needs(in) } -> std::same_as<const typename M::State*>;
};

// Drops the info operations whose effect no operation could see: an info X
// that leaves state x when it applies, where no other operation needs x
// (only blind ones accept it). In any linearization, what follows X is
// then a blind operation or nothing, so X can be taken out and the rest
// stays a linearization; and an info may be left out anyway. Each X is
// judged with all the others present, and the argument holds for each
// removal in turn, so all of them go at once. Why: a crashed client's
// writes that nobody read are the commonest infos, and every pending info
// is a choice at every step of the search (2^k sets for k of them).
// Returns how many it dropped.
//
// Cost, as every check pays it: with few infos each needed state is
// compared with theirs directly; with many, the infos' states are sorted
// by hash and each needed state is hashed once (a kv state's hash prints
// it, so hashing all of them costs more than a few comparisons).
template <typename M>
  requires SetsState<M>
size_t DropUnseenInfos(const M& model, wgl::Problem<M>& p) {
  using State = typename M::State;
  struct Setter {
    uint64_t hash;
    size_t op;
    const State* state;
    bool seen;
  };
  std::vector<Setter> setters;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (!p.ops[i]->info) continue;
    if (const State* x = model.Sets(p.inputs[i])) setters.push_back({0, i, x, false});
  }
  if (setters.empty()) return 0;
  constexpr size_t kCompareDirectly = 16;
  const bool hashed = setters.size() > kCompareDirectly;
  if (hashed) {
    for (Setter& s : setters) s.hash = model.Hash(*s.state);
    std::sort(setters.begin(), setters.end(), [](const Setter& a, const Setter& b) { return a.hash < b.hash; });
  }
  for (size_t j = 0; j < p.ops.size(); ++j) {
    const State* need = model.Needs(p.inputs[j]);
    if (need == nullptr) continue;
    auto from = setters.begin(), to = setters.end();
    if (hashed) {
      const uint64_t h = model.Hash(*need);
      from = std::lower_bound(setters.begin(), setters.end(), h, [](const Setter& s, uint64_t v) { return s.hash < v; });
      to = std::upper_bound(from, setters.end(), h, [](uint64_t v, const Setter& s) { return v < s.hash; });
    }
    for (auto it = from; it != to; ++it) it->seen |= it->op != j && *it->state == *need;
  }
  std::vector<bool> drop(p.ops.size(), false);
  size_t dropped = 0;
  for (const Setter& s : setters) {
    drop[s.op] = !s.seen;
    dropped += !s.seen;
  }
  if (dropped == 0) return 0;
  size_t kept = 0;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) {  // never a self-move: it may empty a Value
      p.ops[kept] = p.ops[i];
      p.inputs[kept] = std::move(p.inputs[i]);
    }
    ++kept;
  }
  p.ops.resize(kept);
  p.inputs.resize(kept);
  return dropped;
}

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
  size_t unseen = 0;
  if constexpr (SetsState<M>) unseen = DropUnseenInfos(model, p);
  PartitionResult r = wgl::Search(p, budget);
  r.unseen_infos = unseen;
  return r;
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
