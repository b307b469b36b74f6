// A priority queue of events ordered by (time, sequence number).
//
// Invariants:
//  - Sequence numbers are assigned at Push and strictly increase, so events
//    at equal times run in the order they were scheduled. No pointer or
//    hash ever breaks a tie (design §2).
//  - Each pending event owns one slot of `slots_`; cancellation frees the
//    slot and bumps its generation, and the heap entry is skipped when it
//    surfaces (lazy deletion).
// The heap is 4-ary: shallower than binary and each sift touches one cache
// line of children. Pops use Floyd's bottom-up deletion (event_queue.cc).
// A radix heap was measured too and was not faster (docs/performance.md).
//
// Lanes: events scheduled at now + D for a fixed D (a constant-latency link)
// arrive in nondecreasing time and increasing sequence, so a FIFO holds them
// in order with no heap work; a pop takes the least of the heap's top and
// the lanes' heads. The order is exactly the one a single heap gives.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/slab.h"
#include "sim/engine/event.h"

namespace faultline {

class EventQueue {
 public:
  EventId Push(Time at, const Event& e);
  // Re-queues an event that already ran its course once (held by a pause or
  // a clog) under its original sequence number, so it keeps its place
  // among events that share its new time. REQUIRES: `seq` came from Pop.
  EventId PushWithSeq(Time at, const Event& e, uint64_t seq);
  // Pushes an event that cannot be cancelled into the FIFO lane named by
  // `lane_key` (callers use the delay). Correct for any `at`: one earlier
  // than the lane's last event, or a key without a lane while all lanes are
  // busy, goes to the heap instead. Fast when the key's events come in
  // nondecreasing time, as events at now + a fixed delay do.
  void PushFifo(Time at, int64_t lane_key, const Event& e);
  // True if the event was pending and is now cancelled; then *cancelled (if
  // not null) receives it, so the owner can release what it referred to.
  bool Cancel(EventId id, Event* cancelled = nullptr);
  // Pops the earliest live event. REQUIRES: !empty().
  void Pop(Time* at, Event* e, uint64_t* seq = nullptr);
  // Pops the earliest live event if it is due at or before `until`; the run
  // loop's single step (one pass over cancelled entries, not two).
  bool PopUntil(Time until, Time* at, Event* e, uint64_t* seq);
  // Time of the earliest live event. REQUIRES: !empty().
  Time PeekTime();
  // Events queued right behind the last one popped, from the same lane or
  // (one) from the heap, nearest first: hints for prefetching the memory
  // they will touch. Never read for meaning: they may have been cancelled
  // and may be overtaken. Also prefetches the heap's next-but-one slot.
  size_t Upcoming(const Event** out, size_t max);
  // Whether the last pop came from the heap (whose lookahead is one event).
  bool last_pop_from_heap() const { return last_lane_ < 0; }

  bool empty() const { return live_ == 0; }
  size_t size() const { return live_; }
  uint64_t pushed() const { return next_seq_; }

 private:
  struct Entry {
    int64_t at;
    uint64_t seq;
    uint32_t slot;
    uint32_t generation;
  };
  struct LaneEntry {
    int64_t at;
    uint64_t seq;
    Event event;  // inline: a lane is read in order, no slot to chase
  };
  // A ring buffer of capacity a power of two (or zero).
  struct Lane {
    int64_t key = 0;
    std::vector<LaneEntry> ring;
    size_t head = 0;
    size_t count = 0;
    const LaneEntry& front() const { return ring[head]; }
    const LaneEntry& at(size_t i) const { return ring[(head + i) & (ring.size() - 1)]; }
    const LaneEntry& back() const { return ring[(head + count - 1) & (ring.size() - 1)]; }
    void PushBack(const LaneEntry& x);
    void PopFront() { head = (head + 1) & (ring.size() - 1); --count; }
  };
  static constexpr size_t kMaxLanes = 4;
  struct Slot {
    Event event;
    uint32_t generation = 0;
    bool live = false;
  };
  template <typename X, typename Y>
  static bool Before(const X& x, const Y& y) {
    return x.at != y.at ? x.at < y.at : x.seq < y.seq;
  }
  static constexpr size_t kArity = 4;  // measured against 2: fewer instructions at 1k and 100k events
  void SiftUp(size_t i);
  void PopTop();
  void DropCancelledTop();
  // The lane whose head is due before the heap's top, or null.
  // REQUIRES: !empty() and no cancelled entry on top of the heap.
  Lane* EarliestLane();
  Lane* LaneFor(int64_t key, Time at);

  std::vector<Entry> heap_;
  std::vector<Lane> lanes_;  // at most kMaxLanes
  int last_lane_ = -1;       // where the last pop came from; -1 is the heap
  Slab<Slot> slots_;
  uint64_t next_seq_ = 0;
  size_t live_ = 0;
};

}  // namespace faultline
