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

// For each of `which` (indices into p.ops, each with a Sets state):
// whether another operation of p needs the state it sets.
//
// Cost, as every check pays it: with few setters each needed state is
// compared with theirs directly; with many, the needed states are sorted by
// hash and each setter looks its own up, stopping at the first match (a
// kv state's hash prints it, so hashing costs more than a few comparisons;
// and many setters share a state, so matching needs against setters, not
// setters against needs, keeps it from being quadratic).
template <typename M>
  requires SetsState<M>
std::vector<bool> NeededStates(const M& model, const wgl::Problem<M>& p, const std::vector<size_t>& which) {
  using State = typename M::State;
  std::vector<bool> seen(which.size(), false);
  if (which.empty()) return seen;
  constexpr size_t kCompareDirectly = 16;
  if (which.size() <= kCompareDirectly) {
    for (size_t j = 0; j < p.ops.size(); ++j) {
      const State* need = model.Needs(p.inputs[j]);
      if (need == nullptr) continue;
      for (size_t k = 0; k < which.size(); ++k) {
        if (!seen[k] && which[k] != j && *model.Sets(p.inputs[which[k]]) == *need) seen[k] = true;
      }
    }
    return seen;
  }
  struct Need {
    uint64_t hash;
    size_t op;
    const State* state;
  };
  std::vector<Need> needs;
  for (size_t j = 0; j < p.ops.size(); ++j) {
    if (const State* need = model.Needs(p.inputs[j])) needs.push_back({model.Hash(*need), j, need});
  }
  std::sort(needs.begin(), needs.end(), [](const Need& a, const Need& b) { return a.hash < b.hash; });
  for (size_t k = 0; k < which.size(); ++k) {
    const State& x = *model.Sets(p.inputs[which[k]]);
    const uint64_t h = model.Hash(x);
    auto it = std::lower_bound(needs.begin(), needs.end(), h, [](const Need& n, uint64_t v) { return n.hash < v; });
    for (; it != needs.end() && it->hash == h && !seen[k]; ++it) seen[k] = it->op != which[k] && *it->state == x;
  }
  return seen;
}

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
template <typename M>
  requires SetsState<M>
size_t DropUnseenInfos(const M& model, wgl::Problem<M>& p) {
  std::vector<size_t> infos;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (p.ops[i]->info && model.Sets(p.inputs[i]) != nullptr) infos.push_back(i);
  }
  const std::vector<bool> seen = NeededStates(model, p, infos);
  std::vector<bool> drop(p.ops.size(), false);
  size_t dropped = 0;
  for (size_t k = 0; k < infos.size(); ++k) {
    drop[infos[k]] = !seen[k];
    dropped += !seen[k];
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

// Fills p.blind and p.silent (wgl.h): a silent write is a completed blind
// one whose state no other operation needs. Returns how many are silent.
template <typename M>
  requires SetsState<M>
size_t MarkSilentWrites(const M& model, wgl::Problem<M>& p) {
  p.blind.assign(p.ops.size(), 0);
  p.silent.assign(p.ops.size(), 0);
  std::vector<size_t> writes;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (model.Needs(p.inputs[i]) != nullptr || model.Sets(p.inputs[i]) == nullptr) continue;
    p.blind[i] = 1;
    if (!p.ops[i]->info) writes.push_back(i);
  }
  const std::vector<bool> seen = NeededStates(model, p, writes);
  size_t silent = 0;
  for (size_t k = 0; k < writes.size(); ++k) {
    p.silent[writes[k]] = !seen[k];
    silent += !seen[k];
  }
  return silent;
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
  if constexpr (SetsState<M>) {
    unseen = DropUnseenInfos(model, p);
    MarkSilentWrites(model, p);
  }
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
