#include <catch2/catch.hpp>

#include <set>
#include <vector>

#include "sim/core/rng.h"
#include "sim/engine/event_queue.h"

namespace faultline {
namespace {

Event Tagged(uint64_t tag) { return Event{.kind = EventKind::kCallback, .a = tag}; }

TEST_CASE("Events pop by time, then by scheduling order", "[queue]") {
  EventQueue q;
  q.Push(Time::FromNanos(30), Tagged(1));
  q.Push(Time::FromNanos(10), Tagged(2));
  q.Push(Time::FromNanos(30), Tagged(3));
  q.Push(Time::FromNanos(10), Tagged(4));
  q.Push(Time::FromNanos(20), Tagged(5));
  std::vector<uint64_t> order;
  while (!q.empty()) {
    Time at;
    Event e;
    q.Pop(&at, &e);
    order.push_back(e.a);
  }
  CHECK(order == std::vector<uint64_t>{2, 4, 5, 1, 3});
}

TEST_CASE("Cancelled events never pop and stale ids are harmless", "[queue]") {
  EventQueue q;
  EventId a = q.Push(Time::FromNanos(5), Tagged(1));
  EventId b = q.Push(Time::FromNanos(6), Tagged(2));
  Event cancelled;
  CHECK(q.Cancel(a, &cancelled));
  CHECK(cancelled.a == 1);
  CHECK_FALSE(q.Cancel(a));  // twice
  CHECK(q.size() == 1);
  // The freed slot is reused; the stale id must not cancel the new event.
  EventId c = q.Push(Time::FromNanos(7), Tagged(3));
  CHECK(c.slot == a.slot);
  CHECK_FALSE(q.Cancel(a));
  CHECK(q.PeekTime() == Time::FromNanos(6));
  Time at;
  Event e;
  q.Pop(&at, &e);
  CHECK(e.a == 2);
  CHECK_FALSE(q.Cancel(b));  // already ran
  q.Pop(&at, &e);
  CHECK(e.a == 3);
  CHECK(q.empty());
}

TEST_CASE("The queue agrees with a sorted reference under random load", "[queue]") {
  Rng rng(9);
  EventQueue q;
  struct Ref {
    int64_t at;
    uint64_t seq;
    uint64_t tag;
    EventId id;
    bool cancelled;
  };
  std::vector<Ref> ref;
  uint64_t seq = 0;
  for (int i = 0; i < 5000; ++i) {
    int64_t at = static_cast<int64_t>(rng.Uniform(1000));
    EventId id = q.Push(Time::FromNanos(at), Tagged(i));
    ref.push_back({at, seq++, static_cast<uint64_t>(i), id, false});
    if (rng.Chance(1, 5)) {
      Ref& victim = ref[rng.Uniform(ref.size())];
      bool did = q.Cancel(victim.id);
      CHECK(did == !victim.cancelled);
      victim.cancelled = true;
    }
  }
  std::erase_if(ref, [](const Ref& r) { return r.cancelled; });
  std::sort(ref.begin(), ref.end(), [](const Ref& x, const Ref& y) {
    return x.at != y.at ? x.at < y.at : x.seq < y.seq;
  });
  REQUIRE(q.size() == ref.size());
  for (const Ref& r : ref) {
    Time at;
    Event e;
    q.Pop(&at, &e);
    REQUIRE(e.a == r.tag);
    REQUIRE(at.nanos() == r.at);
  }
  CHECK(q.empty());
}

TEST_CASE("Interleaved pushes, pops and cancels agree with a reference at every scale",
          "[queue]") {
  // Delays from zero to 50 ms, lane pushes, pops interleaved,
  // cancellations, re-queues under an old sequence number and PopUntil
  // limits, against an ordered set of (time, seq).
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    EventQueue q;
    struct Ref {
      int64_t at;
      uint64_t seq;
      uint64_t tag;
      bool operator<(const Ref& o) const { return at != o.at ? at < o.at : seq < o.seq; }
    };
    std::set<Ref> ref;
    std::vector<std::pair<EventId, Ref>> ids;
    uint64_t seq = 0, tag = 0;
    Time now;
    for (int step = 0; step < 4000; ++step) {
      uint64_t op = rng.Uniform(12);
      if (op < 4) {
        static const int64_t kScales[] = {0, 500, 20'000, 2'000'000, 50'000'000};
        int64_t delay = static_cast<int64_t>(rng.Uniform(kScales[rng.Uniform(5)] + 1));
        Ref r{now.nanos() + delay, seq++, tag++};
        EventId id = q.Push(Time::FromNanos(r.at), Tagged(r.tag));
        ref.insert(r);
        ids.emplace_back(id, r);
      } else if (op < 6) {
        // A lane push: mostly at now + one of a few fixed delays, which
        // keeps each lane in order; sometimes a key whose lane has later
        // events (the heap takes it) and more keys than lanes.
        static const int64_t kDelays[] = {0, 1'000, 1'000'000, 3'000, 7, 250'000};
        int64_t key = kDelays[rng.Uniform(6)];
        int64_t delay = rng.Chance(1, 8) ? static_cast<int64_t>(rng.Uniform(2'000'000)) : key;
        Ref r{now.nanos() + delay, seq++, tag++};
        q.PushFifo(Time::FromNanos(r.at), key, Tagged(r.tag));
        ref.insert(r);
      } else if (op < 7 && !ids.empty()) {
        auto [id, r] = ids[rng.Uniform(ids.size())];
        REQUIRE(q.Cancel(id) == (ref.erase(r) == 1));
      } else {
        Time until = now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(3'000'000)));
        Time at;
        Event e;
        uint64_t got_seq;
        bool popped = q.PopUntil(until, &at, &e, &got_seq);
        bool due = !ref.empty() && ref.begin()->at <= until.nanos();
        REQUIRE(popped == due);
        if (!popped) {
          now = until;  // as the run loop does at a time limit
          continue;
        }
        REQUIRE(e.a == ref.begin()->tag);
        REQUIRE(at.nanos() == ref.begin()->at);
        REQUIRE(got_seq == ref.begin()->seq);
        ref.erase(ref.begin());
        std::erase_if(ids, [&](const auto& p) { return p.second.tag == e.a; });  // ran
        now = at;
        if (rng.Chance(1, 10)) {  // held by a pause: back at `now`, old number
          EventId id = q.PushWithSeq(now, e, got_seq);
          Ref r{now.nanos(), got_seq, e.a};
          ref.insert(r);
          ids.emplace_back(id, r);
        }
      }
      REQUIRE(q.size() == ref.size());
    }
  }
}

TEST_CASE("Upcoming names events that really come next, in order", "[queue]") {
  // Prefetch hints: after each pop, the events Upcoming lists must pop
  // later, in the order listed (other events may come between them).
  Rng rng(3);
  EventQueue q;
  for (int i = 0; i < 3000; ++i) {
    int64_t now = i;
    if (rng.Chance(1, 2)) {
      q.PushFifo(Time::FromNanos(now + 1000), 1000, Tagged(i));
    } else {
      q.Push(Time::FromNanos(now + static_cast<int64_t>(rng.Uniform(2000))), Tagged(i));
    }
  }
  std::vector<uint64_t> order;
  std::vector<std::vector<uint64_t>> hints;
  size_t from_lane_hints = 0;
  while (!q.empty()) {
    Time at;
    Event e;
    q.Pop(&at, &e);
    order.push_back(e.a);
    const Event* next[3];
    size_t n = q.Upcoming(next, 3);
    std::vector<uint64_t> h;
    for (size_t i = 0; i < n; ++i) h.push_back(next[i]->a);
    from_lane_hints += n > 1;
    hints.push_back(h);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    size_t pos = k + 1;
    for (uint64_t tag : hints[k]) {
      while (pos < order.size() && order[pos] != tag) ++pos;
      REQUIRE(pos < order.size());  // found later, after the previous hint
      ++pos;
    }
  }
  CHECK(from_lane_hints > 1000);  // lanes looked ahead more than one event
}

}  // namespace
}  // namespace faultline
