// The linearizability search (design §7): Wing & Gong's algorithm with
// Lowe's just-in-time linearization, as Porcupine does it, iterative, with
// a memo of (set of linearized operations, model state).
//
// Operations become call and return entries in time order, kept in a doubly
// linked list. Walking it, a call entry is tried: if the model accepts the
// operation from the current state and the resulting (set, state) is new,
// the operation is linearized (its two entries are lifted out of the list)
// and the walk restarts at the head. Reaching a return entry of an operation
// not yet linearized means the current prefix cannot be extended: undo the
// last choice and try the next call after it. The history is linearizable
// when the list empties.
//
// `info` operations (effect unknown) return at +infinity: they may be
// linearized at any point after their call. Reaching one's return entry
// means every completed operation is linearized, and the infos left can be
// dropped (never took effect): success.
//
// Memo: each distinct state is stored once (StateTable) and named by an id;
// the set of linearized operations by a 96-bit incremental fingerprint;
// the table of (fingerprint, state id) is open-addressed, 16 bytes an entry.
//
// Read-only operations first: an operation that never changes the state
// (a read, a refused request) and that the current state allows, among the
// calls that may come next, is linearized at once and alone: no other
// choice is tried at that configuration. Sound and complete: take any way
// to finish from here; moving the read to its front keeps it valid (the
// read may come first, as no pending operation returned before its call;
// it sees the state it saw, and everything after it sees what it saw),
// and ends in the same state. So the configuration has a completion (or
// an end state) exactly when the one with the read linearized has. A model
// opts in with `bool ReadOnly(const Input&, bool info) const`. Why: many
// clients reading one key made every order of their reads a different
// set to search (docs/checkers.md).
//
// Silent writes: a completed write whose value no operation needs (no read
// returned it, no cas expected it) can only be followed by a blind write,
// or by nothing. Such writes are never a choice on their own: each is
// linearized just before a blind operation the search takes while it may
// come next (all of them at once), or, when its return is reached without,
// then (again with every other one that may come next). Sound and
// complete: in any way to finish, a silent write that may come now can be
// moved to just before the blind operation taken now (it is followed by a
// blind one there, and where it was, its removal changes nothing anyone
// sees); the end state may change from a value nobody needs, after which
// only blind writes could follow, to one that allows at least as much.
// Why: acknowledged writes in flight together, most overwritten before
// anyone read them, made every subset of them a set to search.
//
// Quiescent points: where no operation is pending, the history splits.
// Each segment but the last is searched exhaustively for the states it can
// end in (from each state the segments before it can end in); the last one
// until its first linearization. Memo and states are per segment, so a long
// history with pauses costs search memory for its widest segment only (the
// end states and one order reaching each are kept for the evidence: a few
// words per operation, outside the memory budget). When a
// segment has too many end states, or takes too many steps, the rest of the
// partition is searched as one piece (never wrong; the split is an
// optimization).
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>
#include <vector>

#include "sim/check/result.h"
#include "sim/core/assert.h"
#include "sim/core/hash.h"
#include "sim/history/history.h"

namespace faultline::wgl {

// What the search needs from a model M:
//   using State = ...;   copyable, with operator==
//   using Input = ...;   an operation compiled for the model
//   State Init() const;
//   // The state after `in`, if the model allows it from `s`. `info`: the
//   // operation's result is unknown (only its effect matters).
//   bool Step(const State& s, const Input& in, bool info, State* next) const;
//   uint64_t Hash(const State& s) const;
//   std::string Describe(const State& s) const;
// and may declare operations read-only (see above):
//   bool ReadOnly(const Input& in, bool info) const;  // true: Step never changes the state
template <typename M>
struct Problem {
  const M* model;
  std::vector<const Operation*> ops;  // of one partition
  std::vector<typename M::Input> inputs;  // parallel to ops
  // Optional, parallel to ops (empty: none). blind: applies from any state
  // and leaves one fixed state (a write). silent: a completed blind
  // operation whose state no other operation needs (see the top of the
  // file). models::MarkSilentWrites fills both.
  std::vector<uint8_t> blind, silent;
};

namespace internal {

template <typename M>
concept DeclaresReadOnly = requires(const M& m, const typename M::Input& in) {
  { m.ReadOnly(in, true) } -> std::same_as<bool>;
};

template <typename M>
bool ReadOnly(const M& model, const typename M::Input& in, bool info) {
  if constexpr (DeclaresReadOnly<M>) {
    return model.ReadOnly(in, info);
  } else {
    return false;
  }
}

struct Entry {
  int64_t time;
  uint32_t op;  // index into the partition's ops
  bool call;
  uint32_t match;  // the other entry of the same operation
  uint32_t prev, next;
};

constexpr uint32_t kNone = UINT32_MAX;

// Distinct model states, each stored once and named by a dense id.
template <typename State, typename M, bool kInline>
class StateTable {
 public:
  explicit StateTable(const M& model) : model_(model) { slots_.assign(64, kEmpty); }
  using Key = uint32_t;
  Key Intern(const State& s) {
    if ((states_.size() + 1) * 2 > slots_.size()) Grow();
    const uint64_t h = model_.Hash(s);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      if (slots_[i] == kEmpty) {
        slots_[i] = static_cast<uint32_t>(states_.size());
        states_.push_back(s);
        hashes_.push_back(h);
        return slots_[i];
      }
      if (hashes_[slots_[i]] == h && states_[slots_[i]] == s) return slots_[i];
    }
  }
  const State& operator[](Key id) const { return states_[id]; }
  size_t bytes() const {
    return slots_.capacity() * sizeof(uint32_t) + states_.capacity() * sizeof(State) +
           hashes_.capacity() * sizeof(uint64_t);
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  void Grow() {
    std::vector<uint32_t> bigger(slots_.size() * 2, kEmpty);
    const size_t mask = bigger.size() - 1;
    for (uint32_t id = 0; id < states_.size(); ++id) {
      size_t i = hashes_[id] & mask;
      while (bigger[i] != kEmpty) i = (i + 1) & mask;
      bigger[i] = id;
    }
    slots_ = std::move(bigger);
  }
  const M& model_;
  std::vector<uint32_t> slots_;
  std::vector<State> states_;
  std::vector<uint64_t> hashes_;
};

// A state of at most eight trivially copyable bytes (a register's value) is
// its own key: no table, no hashing to intern it.
template <typename State, typename M>
class StateTable<State, M, true> {
 public:
  using Key = uint64_t;
  explicit StateTable(const M&) {}
  Key Intern(const State& s) {
    uint64_t key = 0;
    std::memcpy(&key, &s, sizeof(State));
    return key;
  }
  State operator[](uint64_t key) const {
    State s;
    std::memcpy(&s, &key, sizeof(State));
    return s;
  }
  size_t bytes() const { return 0; }
};

template <typename State>
constexpr bool kInlineState = sizeof(State) <= 8 && std::is_trivially_copyable_v<State>;

// The set of (linearized operations, state) pairs seen. A set is kept as a
// 96-bit fingerprint, two independent incremental hashes (a fixed random
// key per operation XORed in and out; 64 and 32 bits of them kept); the
// state exactly, by its StateTable key (an id, or the state itself). Two
// different sets share a fingerprint with probability 2^-96 (docs/
// checkers.md); in exchange an entry is 16 bytes (24 with an inline
// state) and nothing is allocated per step.
template <typename Key>
class Memo {
 public:
  Memo() { slots_.assign(64, Slot{}); }  // small: a segment may be one operation
  // True if it was not there (and is now).
  bool Insert(uint64_t h1, uint64_t h2, Key state) {
    h1 |= 1;  // 0 marks an empty slot
    const auto h2_low = static_cast<uint32_t>(h2);
    if ((count_ + 1) * 4 > slots_.size() * 3) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = Index(h1, state) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.h1 == 0) {
        s = Slot{h1, h2_low, state};
        ++count_;
        return true;
      }
      if (s.h1 == h1 && s.h2 == h2_low && s.state == state) return false;
    }
  }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  // 16 bytes with a 32-bit state id, 24 with an inline 64-bit state.
  struct Slot {
    uint64_t h1 = 0;
    uint32_t h2 = 0;
    Key state = 0;
  };
  // h1 is already uniformly random; the state spreads by a multiply.
  static size_t Index(uint64_t h1, Key state) {
    return static_cast<size_t>(h1 ^ (static_cast<uint64_t>(state) * 0x9e3779b97f4a7c15ULL));
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.h1 == 0) continue;
      size_t i = Index(s.h1, s.state) & mask;
      while (slots_[i].h1 != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  size_t count_ = 0;
  std::vector<Slot> slots_;
};

// A state a segment can end in, and one way to get there.
template <typename State>
struct End {
  State state;
  uint32_t parent;             // the previous segment's end it started from (its root index)
  std::vector<uint32_t> order; // indices into Problem::ops, in linearization order
};

// What one segment's search found.
template <typename State>
struct Outcome {
  enum Kind : uint8_t { kDone, kViolation, kUnknown, kTooWide } kind = kDone;
  std::vector<End<State>> ends;  // exhaustive: every end state; else the one found
  // Evidence, for kViolation: the deepest prefix reached, from which root.
  uint32_t best_root = kNone;
  std::vector<uint32_t> best_order;
  std::string best_state;
  std::vector<uint32_t> stuck;
  const char* unknown_reason = "";
};

// A limit on enumerating a segment's end states (budget.max_carried_states
// is the other): beyond it the rest of the partition is searched as one
// piece instead, which is always correct; splitting only saves work. Per
// operation, so that a long busy segment (no pause for hundreds of
// operations) wastes little before the search falls back.
constexpr uint64_t kExhaustiveStepsPerOp = 32, kMinExhaustiveSteps = 4096;

// The search over ops [lo, hi) of `p`, from each of `roots` in turn.
// Exhaustive: every state the segment can end in (the segment has no info
// operations: nothing is pending at its end). Otherwise: stop at the first
// linearization; `info` operations may be left out. The memo is shared by
// the roots: a (set, state) pair already explored from one root has
// nothing new to offer another.
template <typename M>
Outcome<typename M::State> SearchSegment(const Problem<M>& p, size_t lo, size_t hi,
                                         const std::vector<typename M::State>& roots, bool exhaustive,
                                         const CheckBudget& budget, uint64_t* steps) {
  using State = typename M::State;
  const M& model = *p.model;
  const auto n = static_cast<uint32_t>(hi - lo);
  Outcome<State> out;

  // Entries in time order; index 0 is the head sentinel. Entry op fields
  // are local (0..n); p.ops[lo + op] is the operation.
  std::vector<Entry> e(1 + 2 * size_t{n});
  std::vector<uint32_t> order;
  order.reserve(2 * size_t{n});
  for (uint32_t i = 0; i < n; ++i) {
    e[1 + 2 * i] = Entry{p.ops[lo + i]->call, i, true, 2 + 2 * i, 0, 0};
    e[2 + 2 * i] = Entry{p.ops[lo + i]->ret, i, false, 1 + 2 * i, 0, 0};
    order.push_back(1 + 2 * i);
    order.push_back(2 + 2 * i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return e[a].time < e[b].time; });
  e[0] = Entry{INT64_MIN, 0, false, kNone, kNone, order.empty() ? kNone : order[0]};
  for (size_t k = 0; k < order.size(); ++k) {
    e[order[k]].prev = k == 0 ? 0 : order[k - 1];
    e[order[k]].next = k + 1 < order.size() ? order[k + 1] : kNone;
  }
  auto lift = [&](uint32_t call) {
    Entry& c = e[call];
    e[c.prev].next = c.next;
    if (c.next != kNone) e[c.next].prev = c.prev;
    Entry& r = e[c.match];
    e[r.prev].next = r.next;
    if (r.next != kNone) e[r.next].prev = r.prev;
  };
  auto unlift = [&](uint32_t call) {
    Entry& c = e[call];
    Entry& r = e[c.match];
    e[r.prev].next = c.match;
    if (r.next != kNone) e[r.next].prev = c.match;
    e[c.prev].next = call;
    if (c.next != kNone) e[c.next].prev = call;
  };

  // Random keys for the incremental set hashes; fixed seeds: deterministic.
  std::vector<uint64_t> key1(n), key2(n);
  for (size_t i = 0; i < n; ++i) {
    key1[i] = Mix64(0x9e3779b97f4a7c15ULL * (lo + i + 1));
    key2[i] = Mix64(0xc2b2ae3d27d4eb4fULL * (lo + i + 1) + 0x165667b19e3779f9ULL);
  }
  using States = StateTable<State, M, kInlineState<State>>;
  using Key = typename States::Key;
  States states(model);
  Memo<Key> memo;
  std::vector<Key> end_keys;  // exhaustive: the end states found, sorted

  struct Frame {
    uint32_t call;
    Key before;      // state key
    bool alone;      // the configuration's only choice: backing up past it backs up further
    uint32_t group;  // silent writes taken with it: the frames right below
  };
  auto flag = [&](const std::vector<uint8_t>& v, uint32_t op) { return !v.empty() && v[lo + op] != 0; };
  bool any_silent = false;  // if none, a blind call needs no look for silent ones
  for (uint32_t i = 0; i < n; ++i) any_silent = any_silent || flag(p.silent, i);
  // The silent calls among those that may come next.
  std::vector<uint32_t> silent_calls;
  auto collect_silent = [&] {
    silent_calls.clear();
    for (uint32_t x = e[0].next; x != kNone && e[x].call; x = e[x].next) {
      if (flag(p.silent, e[x].op)) silent_calls.push_back(x);
    }
  };
  std::vector<uint8_t> read_only(n);
  for (uint32_t i = 0; i < n; ++i) read_only[i] = ReadOnly(model, p.inputs[lo + i], p.ops[lo + i]->info);
  // A read-only call among those that may come next that the state allows.
  auto allowed_read = [&](Key at) -> uint32_t {
    for (uint32_t x = e[0].next; x != kNone && e[x].call; x = e[x].next) {
      const uint32_t op = e[x].op;
      if (!read_only[op]) continue;
      State ignored{};
      if (model.Step(states[at], p.inputs[lo + op], p.ops[lo + op]->info, &ignored)) return x;
    }
    return kNone;
  };
  std::vector<Frame> stack;
  Key state{};
  uint32_t root = 0;
  size_t best_depth = 0;
  auto current_order = [&] {
    std::vector<uint32_t> ids;
    for (const Frame& f : stack) ids.push_back(e[f.call].op + static_cast<uint32_t>(lo));
    return ids;
  };
  // Evidence: the deepest prefix reached, and what could come after it.
  auto record_best = [&]() {
    if (out.best_root != kNone && stack.size() <= best_depth) return;
    best_depth = stack.size();
    out.best_root = root;
    out.best_order = current_order();
    out.best_state = model.Describe(states[state]);
    out.stuck.clear();
    // The operations that could come next: calls before the first return.
    for (uint32_t x = e[0].next; x != kNone; x = e[x].next) {
      const uint32_t op = e[x].op + static_cast<uint32_t>(lo);
      if (e[x].call || std::find(out.stuck.begin(), out.stuck.end(), op) == out.stuck.end()) {
        out.stuck.push_back(op);
      }
      if (!e[x].call) break;
    }
  };
  const uint64_t first_step = *steps;
  const uint64_t max_exhaustive_steps = std::max(kMinExhaustiveSteps, kExhaustiveStepsPerOp * n);
  for (root = 0; root < roots.size(); ++root) {
    state = states.Intern(roots[root]);
    if (!memo.Insert(0, 0, state)) continue;  // the same state as an earlier root
    uint32_t entry = e[0].next;
    uint64_t set1 = 0, set2 = 0;
    bool fresh = true;  // the configuration was just reached: look for a read-only call first
    auto take = [&](uint32_t call, Key next_id, bool alone, uint32_t group = 0) {
      const uint32_t op = e[call].op;
      stack.push_back(Frame{call, state, alone, group});
      state = next_id;
      set1 ^= key1[op];
      set2 ^= key2[op];
      lift(call);
      entry = e[0].next;
      fresh = true;
    };
    // Takes silent_calls (perhaps none), then `last` (kNone: the last
    // silent one leads), as one choice ending in state `end`, if that is new.
    auto take_group = [&](uint32_t last, Key end, bool alone) {
      uint64_t h1 = set1, h2 = set2;
      for (uint32_t x : silent_calls) h1 ^= key1[e[x].op], h2 ^= key2[e[x].op];
      if (last != kNone) h1 ^= key1[e[last].op], h2 ^= key2[e[last].op];
      if (!memo.Insert(h1, h2, end)) return false;
      const size_t n_silent = silent_calls.size() - (last == kNone ? 1 : 0);
      for (size_t i = 0; i < n_silent; ++i) take(silent_calls[i], state, false);
      take(last != kNone ? last : silent_calls.back(), end, alone, static_cast<uint32_t>(n_silent));
      return true;
    };
    for (;;) {
      if ((++*steps & 1023) == 0) {
        if (budget.out_of_time && budget.out_of_time()) {
          out.kind = Outcome<State>::kUnknown;
          out.unknown_reason = "time budget";
          return out;
        }
        if (budget.memory_bytes != 0 && memo.bytes() + states.bytes() > budget.memory_bytes) {
          out.kind = Outcome<State>::kUnknown;
          out.unknown_reason = "memory budget";
          return out;
        }
        if (budget.max_steps != 0 && *steps > budget.max_steps) {
          out.kind = Outcome<State>::kUnknown;
          out.unknown_reason = "step budget";
          return out;
        }
        if (exhaustive && *steps - first_step > max_exhaustive_steps) {
          out.kind = Outcome<State>::kTooWide;
          return out;
        }
      }
      const bool was_fresh = std::exchange(fresh, false);
      if (e[0].next == kNone) {  // everything linearized
        if (!exhaustive) {
          out.ends.push_back(End<State>{states[state], root, current_order()});
          return out;
        }
        auto at = std::lower_bound(end_keys.begin(), end_keys.end(), state);
        if (at == end_keys.end() || *at != state) {
          end_keys.insert(at, state);
          out.ends.push_back(End<State>{states[state], root, current_order()});
          if (out.ends.size() > budget.max_carried_states) {
            out.kind = Outcome<State>::kTooWide;
            return out;
          }
        }
        // and backtrack, for other end states
      } else if (const uint32_t read = was_fresh ? allowed_read(state) : kNone; read != kNone) {
        // The read alone (see the top of the file). Seen before: this
        // configuration has nothing new either, so back up.
        const uint32_t op = e[read].op;
        if (memo.Insert(set1 ^ key1[op], set2 ^ key2[op], state)) {
          take(read, state, /*alone=*/true);
          continue;
        }
      } else {
        const Entry& cur = e[entry];
        if (cur.call) {
          // A read-only call the state allows was taken above: the rest are
          // refused. Silent writes go with a blind one, or at their return.
          const uint32_t op = cur.op;
          if (!read_only[op] && !flag(p.silent, op)) {
            State next{};
            if (model.Step(states[state], p.inputs[lo + op], p.ops[lo + op]->info, &next)) {
              silent_calls.clear();
              if (any_silent && flag(p.blind, op)) collect_silent();
              if (take_group(entry, states.Intern(next), /*alone=*/false)) continue;
            }
          }
          entry = cur.next;
          continue;
        }
        if (flag(p.silent, cur.op)) {
          // The return of a silent write not taken yet: now, with the others
          // that may come next, is its last chance; then back up.
          collect_silent();
          State next{};
          const uint32_t lead = e[silent_calls.back()].op;
          const bool applies = model.Step(states[state], p.inputs[lo + lead], false, &next);
          SIM_ASSERT_MSG(applies, "a silent write is blind: it applies from any state");
          if (take_group(kNone, states.Intern(next), /*alone=*/true)) continue;
        } else if (p.ops[lo + cur.op]->info) {  // only infos remain: drop them
          out.ends.push_back(End<State>{states[state], root, current_order()});
          return out;
        } else {  // a return entry of an operation not linearized yet
          record_best();
        }
      }
      // Back up: undo the last choice (with the silent writes taken with
      // it) and try the next call after it. A choice taken alone was its
      // configuration's only one: undo the one before it too.
      bool exhausted = true;
      while (!stack.empty()) {
        const Frame f = stack.back();
        auto undo = [&] {
          const Frame g = stack.back();
          stack.pop_back();
          state = g.before;
          set1 ^= key1[e[g.call].op];
          set2 ^= key2[e[g.call].op];
          unlift(g.call);
        };
        undo();
        for (uint32_t k = 0; k < f.group; ++k) undo();
        if (!f.alone) {
          entry = e[f.call].next;
          exhausted = false;
          break;
        }
      }
      fresh = false;
      if (exhausted) break;  // this root is exhausted
    }
  }
  if (out.ends.empty()) out.kind = Outcome<State>::kViolation;
  return out;
}

// Where the partition can be cut: before op i when every operation
// invoked before it has returned (an info never returns). The result is
// the segment boundaries, from 0 to ops.size().
inline std::vector<size_t> QuiescentCuts(const std::vector<const Operation*>& ops) {
  std::vector<size_t> cuts{0};
  int64_t last_ret = INT64_MIN;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (i > 0 && last_ret < ops[i]->call) cuts.push_back(i);
    last_ret = std::max(last_ret, ops[i]->ret);
  }
  cuts.push_back(ops.size());
  return cuts;
}

}  // namespace internal

// Checks one partition. P-compositionality over time: at a quiescent point
// (nothing pending) the history before it and the one after it are
// independent except through the model state, so each segment is searched
// alone, from every state the previous segments can end in (design §7).
// p.ops must be in invocation order.
template <typename M>
PartitionResult Search(const Problem<M>& p, const CheckBudget& budget) {
  using State = typename M::State;
  using internal::kNone;
  using internal::Outcome;
  PartitionResult result;
  result.operations = p.ops.size();
  const std::vector<size_t> cuts =
      budget.no_split ? std::vector<size_t>{0, p.ops.size()} : internal::QuiescentCuts(p.ops);
  std::vector<std::vector<internal::End<State>>> ends;  // per segment searched
  std::vector<State> roots{p.model->Init()};
  // One linearization leading to end `i` of the last segment searched.
  auto path = [&](uint32_t i) {
    std::vector<size_t> ids;
    for (size_t k = ends.size(); k-- > 0 && i != kNone;) {
      const auto& end = ends[k][i];
      for (size_t j = end.order.size(); j-- > 0;) ids.push_back(p.ops[end.order[j]]->id);
      i = end.parent;
    }
    std::reverse(ids.begin(), ids.end());
    return ids;
  };
  for (size_t k = 0; k + 1 < cuts.size();) {
    bool last = k + 2 == cuts.size();
    ++result.segments;
    Outcome<State> out = internal::SearchSegment(p, cuts[k], cuts[k + 1], roots, !last, budget, &result.steps);
    if (out.kind == Outcome<State>::kTooWide) {  // too many states to carry: the rest as one piece
      out = internal::SearchSegment(p, cuts[k], p.ops.size(), roots, false, budget, &result.steps);
      last = true;
    }
    if (out.kind == Outcome<State>::kUnknown) {
      result.verdict = Verdict::kUnknown;
      result.unknown_reason = out.unknown_reason;
      return result;
    }
    if (out.kind == Outcome<State>::kViolation) {
      result.verdict = Verdict::kViolation;
      result.longest_prefix = path(out.best_root);
      for (uint32_t op : out.best_order) result.longest_prefix.push_back(p.ops[op]->id);
      result.state_after_prefix = std::move(out.best_state);
      for (uint32_t op : out.stuck) result.stuck.push_back(p.ops[op]->id);
      return result;
    }
    roots.clear();
    for (const auto& end : out.ends) roots.push_back(end.state);
    ends.push_back(std::move(out.ends));
    if (last) break;
    ++k;
  }
  result.verdict = Verdict::kOk;
  if (!ends.empty()) result.linearization = path(0);
  return result;
}

}  // namespace faultline::wgl
