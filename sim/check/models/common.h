// Shared by the model files: running a model's search over one partition.
// A model adds to wgl.h's interface:
//   Result<Input> Compile(const Operation& op) const;  // error names op
//   bool ConstrainsNothing(const Input& in, bool info) const;  // e.g. an info read
// and may add (SetsState below), for registers and key-value stores:
//   std::optional<State> Sets(const Input& in) const;   // the one state `in` leaves whenever it applies
//   std::optional<State> Needs(const Input& in) const;  // the one state `in` applies from; none: any (blind)
#pragma once

#include <algorithm>
#include <concepts>
#include <optional>

#include "sim/check/models.h"
#include "sim/check/wgl.h"
#include "sim/core/strings.h"

namespace faultline::models {

template <typename M>
concept SetsState = requires(const M& m, const typename M::Input& in) {
  { m.Sets(in) } -> std::same_as<std::optional<typename M::State>>;
  { m.Needs(in) } -> std::same_as<std::optional<typename M::State>>;
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
// O(n log n): the needed states are sorted by hash once. Returns how many
// it dropped.
template <typename M>
  requires SetsState<M>
size_t DropUnseenInfos(const M& model, wgl::Problem<M>& p) {
  using State = typename M::State;
  struct Need {
    uint64_t hash;
    size_t op;
    State state;
  };
  std::vector<Need> needs;
  for (size_t j = 0; j < p.ops.size(); ++j) {
    if (std::optional<State> s = model.Needs(p.inputs[j])) needs.push_back({model.Hash(*s), j, std::move(*s)});
  }
  std::sort(needs.begin(), needs.end(), [](const Need& a, const Need& b) { return a.hash < b.hash; });
  auto seen = [&](size_t i, const State& x) {
    const uint64_t h = model.Hash(x);
    auto it = std::lower_bound(needs.begin(), needs.end(), h, [](const Need& n, uint64_t v) { return n.hash < v; });
    for (; it != needs.end() && it->hash == h; ++it) {
      if (it->op != i && it->state == x) return true;
    }
    return false;
  };
  std::vector<bool> drop(p.ops.size(), false);
  bool any = false;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (!p.ops[i]->info) continue;
    const std::optional<State> x = model.Sets(p.inputs[i]);
    drop[i] = x && !seen(i, *x);
    any |= drop[i];
  }
  if (!any) return 0;
  size_t kept = 0;
  for (size_t i = 0; i < p.ops.size(); ++i) {
    if (drop[i]) continue;
    if (kept != i) {  // never a self-move: it may empty a Value
      p.ops[kept] = p.ops[i];
      p.inputs[kept] = std::move(p.inputs[i]);
    }
    ++kept;
  }
  const size_t dropped = p.ops.size() - kept;
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
