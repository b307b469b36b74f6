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
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "sim/check/result.h"
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
template <typename M>
struct Problem {
  const M* model;
  std::vector<const Operation*> ops;  // of one partition
  std::vector<typename M::Input> inputs;  // parallel to ops
};

namespace internal {

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
  explicit StateTable(const M& model) : model_(model) { slots_.assign(1024, kEmpty); }
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
  Memo() { slots_.assign(1 << 12, Slot{}); }
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

}  // namespace internal

template <typename M>
PartitionResult Search(const Problem<M>& p, const CheckBudget& budget) {
  using State = typename M::State;
  using internal::Entry;
  using internal::kNone;
  const M& model = *p.model;
  const size_t n = p.ops.size();
  PartitionResult result;
  result.operations = n;

  // Entries in time order; index 0 is the head sentinel.
  std::vector<Entry> e(1 + 2 * n);
  std::vector<uint32_t> order;
  order.reserve(2 * n);
  for (uint32_t i = 0; i < n; ++i) {
    e[1 + 2 * i] = Entry{p.ops[i]->call, i, true, 2 + 2 * i, 0, 0};
    e[2 + 2 * i] = Entry{p.ops[i]->ret, i, false, 1 + 2 * i, 0, 0};
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
    key1[i] = Mix64(0x9e3779b97f4a7c15ULL * (i + 1));
    key2[i] = Mix64(0xc2b2ae3d27d4eb4fULL * (i + 1) + 0x165667b19e3779f9ULL);
  }
  uint64_t set1 = 0, set2 = 0;
  using States = internal::StateTable<State, M, internal::kInlineState<State>>;
  using Key = typename States::Key;
  States states(model);
  internal::Memo<Key> memo;

  struct Frame {
    uint32_t call;
    Key before;  // state key
  };
  std::vector<Frame> stack;
  Key state = states.Intern(model.Init());
  size_t best_depth = 0;
  bool recorded = false;
  // Evidence: the deepest prefix reached, and what could come after it.
  auto record_best = [&]() {
    if (recorded && stack.size() <= best_depth) return;
    recorded = true;
    best_depth = stack.size();
    result.longest_prefix.clear();
    for (const Frame& f : stack) result.longest_prefix.push_back(p.ops[e[f.call].op]->id);
    result.state_after_prefix = model.Describe(states[state]);
    result.stuck.clear();
    // The operations that could come next: calls before the first return.
    for (uint32_t x = e[0].next; x != kNone; x = e[x].next) {
      const size_t id = p.ops[e[x].op]->id;
      if (e[x].call || std::find(result.stuck.begin(), result.stuck.end(), id) == result.stuck.end()) {
        result.stuck.push_back(id);
      }
      if (!e[x].call) break;
    }
  };

  uint32_t entry = e[0].next;
  uint64_t steps = 0;
  while (e[0].next != kNone) {
    if ((++steps & 1023) == 0) {
      if (budget.out_of_time && budget.out_of_time()) {
        result.verdict = Verdict::kUnknown;
        result.unknown_reason = "time budget";
        break;
      }
      if (budget.memory_bytes != 0 && memo.bytes() + states.bytes() > budget.memory_bytes) {
        result.verdict = Verdict::kUnknown;
        result.unknown_reason = "memory budget";
        break;
      }
    }
    const Entry& cur = e[entry];
    if (cur.call) {
      const uint32_t op = cur.op;
      State next{};
      if (model.Step(states[state], p.inputs[op], p.ops[op]->info, &next)) {
        const Key next_id = states.Intern(next);
        if (memo.Insert(set1 ^ key1[op], set2 ^ key2[op], next_id)) {
          stack.push_back(Frame{entry, state});
          state = next_id;
          set1 ^= key1[op];
          set2 ^= key2[op];
          lift(entry);
          entry = e[0].next;
          continue;
        }
      }
      entry = cur.next;
      continue;
    }
    // A return entry of an operation not linearized yet.
    if (p.ops[cur.op]->info) break;  // only infos remain: drop them
    record_best();
    if (stack.empty()) {
      result.verdict = Verdict::kViolation;
      break;
    }
    const Frame f = stack.back();
    stack.pop_back();
    const uint32_t op = e[f.call].op;
    state = f.before;
    set1 ^= key1[op];
    set2 ^= key2[op];
    unlift(f.call);
    entry = e[f.call].next;
  }
  result.steps = steps;
  if (result.verdict == Verdict::kOk) {
    for (const Frame& f : stack) result.linearization.push_back(p.ops[e[f.call].op]->id);
  }
  if (result.verdict != Verdict::kViolation) {
    result.longest_prefix.clear();
    result.stuck.clear();
    result.state_after_prefix.clear();
  }
  return result;
}

}  // namespace faultline::wgl
