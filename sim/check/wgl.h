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
// Memo: the set is a bitset hashed incrementally (a random 64-bit key per
// operation, XORed in and out), combined with the model's state hash; the
// table is open-addressed, its bitsets live in one arena.
#pragma once

#include <algorithm>
#include <cstdint>
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

// Open-addressed set of (bitset, state).
template <typename State>
class Memo {
 public:
  Memo(size_t words) : words_(words) { Rehash(1024); }
  // True if it was not there (and is now).
  bool Insert(uint64_t hash, const std::vector<uint64_t>& bits, const State& s) {
    if ((count_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (!slot.used) {
        slot.used = true;
        slot.hash = hash;
        slot.bits = arena_.size();
        arena_.insert(arena_.end(), bits.begin(), bits.end());
        slot.state = s;
        ++count_;
        return true;
      }
      if (slot.hash == hash && slot.state == s &&
          std::equal(bits.begin(), bits.end(), arena_.begin() + static_cast<ptrdiff_t>(slot.bits))) {
        return false;
      }
    }
  }
  size_t bytes() const {
    return slots_.capacity() * sizeof(Slot) + arena_.capacity() * sizeof(uint64_t);
  }

 private:
  struct Slot {
    bool used = false;
    uint64_t hash = 0;
    size_t bits = 0;
    State state{};
  };
  void Rehash(size_t n) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(n, Slot{});
    size_t mask = n - 1;
    for (Slot& s : old) {
      if (!s.used) continue;
      size_t i = s.hash & mask;
      while (slots_[i].used) i = (i + 1) & mask;
      slots_[i] = std::move(s);
    }
  }
  size_t words_;
  size_t count_ = 0;
  std::vector<Slot> slots_;
  std::vector<uint64_t> arena_;
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

  // Random keys for the incremental set hash; fixed seed: deterministic.
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i] = Mix64(0x9e3779b97f4a7c15ULL * (i + 1));
  const size_t words = (n + 63) / 64;
  std::vector<uint64_t> bits(words, 0);
  uint64_t set_hash = 0;
  internal::Memo<State> memo(words);

  struct Frame {
    uint32_t call;
    State before;
  };
  std::vector<Frame> stack;
  State state = model.Init();
  size_t best_depth = 0;
  bool recorded = false;
  // Evidence: the deepest prefix reached, and what could come after it.
  auto record_best = [&]() {
    if (recorded && stack.size() <= best_depth) return;
    recorded = true;
    best_depth = stack.size();
    result.longest_prefix.clear();
    for (const Frame& f : stack) result.longest_prefix.push_back(p.ops[e[f.call].op]->id);
    result.state_after_prefix = model.Describe(state);
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
      if (budget.memory_bytes != 0 && memo.bytes() > budget.memory_bytes) {
        result.verdict = Verdict::kUnknown;
        result.unknown_reason = "memory budget";
        break;
      }
    }
    const Entry& cur = e[entry];
    if (cur.call) {
      const uint32_t op = cur.op;
      State next{};
      if (model.Step(state, p.inputs[op], p.ops[op]->info, &next)) {
        bits[op / 64] |= uint64_t{1} << (op % 64);
        const uint64_t h = set_hash ^ keys[op];
        if (memo.Insert(h ^ model.Hash(next), bits, next)) {
          stack.push_back(Frame{entry, std::move(state)});
          state = std::move(next);
          set_hash = h;
          lift(entry);
          entry = e[0].next;
          continue;
        }
        bits[op / 64] &= ~(uint64_t{1} << (op % 64));
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
    Frame f = std::move(stack.back());
    stack.pop_back();
    const uint32_t op = e[f.call].op;
    state = std::move(f.before);
    bits[op / 64] &= ~(uint64_t{1} << (op % 64));
    set_hash ^= keys[op];
    unlift(f.call);
    entry = e[f.call].next;
  }
  result.steps = steps;
  if (result.verdict != Verdict::kViolation) {
    result.longest_prefix.clear();
    result.stuck.clear();
    result.state_after_prefix.clear();
  }
  return result;
}

}  // namespace faultline::wgl
