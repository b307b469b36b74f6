#include "sim/engine/event_queue.h"

#include "sim/core/assert.h"
#include "sim/core/prefetch.h"

namespace faultline {

EventId EventQueue::Push(Time at, const Event& e) { return PushWithSeq(at, e, next_seq_++); }

EventId EventQueue::PushWithSeq(Time at, const Event& e, uint64_t seq) {
  SIM_ASSERT(seq < next_seq_);
  uint32_t slot = slots_.Acquire();
  Slot& s = slots_[slot];
  s.event = e;
  s.live = true;
  heap_.push_back(Entry{at.nanos(), seq, slot, s.generation});
  SiftUp(heap_.size() - 1);
  ++live_;
  return EventId{slot, s.generation};
}

void EventQueue::Lane::PushBack(const LaneEntry& x) {
  if (count == ring.size()) {  // full: double, unrolling the ring from head
    std::vector<LaneEntry> bigger(ring.empty() ? 64 : 2 * ring.size());
    for (size_t i = 0; i < count; ++i) bigger[i] = ring[(head + i) & (ring.size() - 1)];
    ring = std::move(bigger);
    head = 0;
  }
  ring[(head + count) & (ring.size() - 1)] = x;
  ++count;
}

// The key's lane if `at` keeps it in order; else an idle lane, which takes
// the key; else null (the heap).
EventQueue::Lane* EventQueue::LaneFor(int64_t key, Time at) {
  Lane* idle = nullptr;
  for (Lane& l : lanes_) {
    if (l.key == key && (l.count == 0 || l.back().at <= at.nanos())) return &l;
    if (l.count == 0 && idle == nullptr) idle = &l;
  }
  if (idle == nullptr && lanes_.size() < kMaxLanes) idle = &lanes_.emplace_back();
  if (idle != nullptr) idle->key = key;
  return idle;
}

void EventQueue::PushFifo(Time at, int64_t lane_key, const Event& e) {
  Lane* lane = LaneFor(lane_key, at);
  if (lane == nullptr) {
    Push(at, e);
    return;
  }
  lane->PushBack(LaneEntry{at.nanos(), next_seq_++, e});
  ++live_;
}

EventQueue::Lane* EventQueue::EarliestLane() {
  Lane* best = nullptr;
  for (Lane& l : lanes_) {
    if (l.count == 0) continue;
    if (best == nullptr ? heap_.empty() || Before(l.front(), heap_[0])
                        : Before(l.front(), best->front())) {
      best = &l;
    }
  }
  return best;
}

bool EventQueue::Cancel(EventId id, Event* cancelled) {
  if (!id.valid() || id.slot >= slots_.capacity()) return false;
  Slot& s = slots_[id.slot];
  if (!s.live || s.generation != id.generation) return false;
  if (cancelled != nullptr) *cancelled = s.event;
  s.live = false;
  ++s.generation;
  slots_.Release(id.slot);
  --live_;
  return true;
}

void EventQueue::DropCancelledTop() {
  while (!heap_.empty()) {
    const Entry& top = heap_[0];
    const Slot& s = slots_[top.slot];
    if (s.live && s.generation == top.generation) return;
    PopTop();
  }
}

Time EventQueue::PeekTime() {
  SIM_ASSERT(!empty());
  DropCancelledTop();
  if (const Lane* lane = EarliestLane()) return Time::FromNanos(lane->front().at);
  return Time::FromNanos(heap_[0].at);
}

void EventQueue::Pop(Time* at, Event* e, uint64_t* seq) {
  SIM_ASSERT(!empty());
  bool popped = PopUntil(Time::Max(), at, e, seq);
  SIM_ASSERT(popped);
}

bool EventQueue::PopUntil(Time until, Time* at, Event* e, uint64_t* seq) {
  if (live_ == 0) return false;
  DropCancelledTop();
  if (Lane* lane = EarliestLane()) {
    const LaneEntry& head = lane->front();
    if (head.at > until.nanos()) return false;
    *at = Time::FromNanos(head.at);
    *e = head.event;
    if (seq != nullptr) *seq = head.seq;
    lane->PopFront();
    last_lane_ = static_cast<int>(lane - lanes_.data());
    --live_;
    return true;
  }
  last_lane_ = -1;
  if (heap_[0].at > until.nanos()) return false;
  const Entry top = heap_[0];
  PopTop();
  Slot& s = slots_[top.slot];
  *at = Time::FromNanos(top.at);
  *e = s.event;
  if (seq != nullptr) *seq = top.seq;
  s.live = false;
  ++s.generation;
  slots_.Release(top.slot);
  --live_;
  return true;
}

size_t EventQueue::Upcoming(const Event** out, size_t max) {
  size_t n = 0;
  if (last_lane_ >= 0) {
    const Lane& lane = lanes_[static_cast<size_t>(last_lane_)];
    for (; n < max && n < lane.count; ++n) out[n] = &lane.at(n).event;
    return n;
  }
  if (heap_.empty() || max == 0) return 0;
  out[n++] = &slots_[heap_[0].slot].event;
  // The root's least child is next after it, unless something overtakes.
  const size_t end = heap_.size() < 5 ? heap_.size() : 5;
  size_t best = 1;
  for (size_t c = 2; c < end; ++c) best = Before(heap_[c], heap_[best]) ? c : best;
  if (best < end) PrefetchRead(&slots_[heap_[best].slot]);
  return n;
}

// Floyd's bottom-up deletion: the hole left at the root walks down to a
// leaf along the smaller child (no comparison with the element being
// placed), then the last element fills it and sifts up. In a simulator the
// last element is a recent, late event that belongs near the bottom, so the
// sift-up is short and each level costs three comparisons, not four.
void EventQueue::PopTop() {
  static_assert(kArity == 4, "the tournament below compares four children");
  const size_t n = heap_.size() - 1;  // size after removing the root
  Entry* h = heap_.data();  // a local: stores into h[] cannot move it
  size_t hole = 0;
  for (;;) {
    const size_t first = kArity * hole + 1;
    size_t best;
    if (first + kArity <= n) {
      // All four children: two independent pairs, then their winners.
      // Keys are unique (sequence numbers are), so any minimum is the one.
      size_t a = Before(h[first + 1], h[first]) ? first + 1 : first;
      size_t b = Before(h[first + 3], h[first + 2]) ? first + 3 : first + 2;
      best = Before(h[b], h[a]) ? b : a;
    } else {
      if (first >= n) break;
      best = first;
      for (size_t c = first + 1; c < n; ++c) best = Before(h[c], h[best]) ? c : best;
    }
    h[hole] = h[best];
    hole = best;
  }
  h[hole] = h[n];
  heap_.pop_back();
  if (hole < n) SiftUp(hole);
}

void EventQueue::SiftUp(size_t i) {
  Entry* h = heap_.data();
  const Entry moving = h[i];
  while (i > 0) {
    size_t parent = (i - 1) / kArity;
    if (!Before(moving, h[parent])) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = moving;
}

}  // namespace faultline
