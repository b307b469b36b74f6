#include <catch2/catch.hpp>

#include <vector>

#include "models/kit/hlc.h"
#include "sim/core/rng.h"

namespace faultline::kit {
namespace {

TEST_CASE("HLC: strictly increasing, even when the wall clock steps back", "[kit][hlc]") {
  Hlc c(1);
  Timestamp a = c.Now(1000);
  Timestamp b = c.Now(1000);
  Timestamp d = c.Now(400);  // the clock jumped back
  Timestamp e = c.Now(2000);
  CHECK(a < b);
  CHECK(b < d);
  CHECK(d < e);
  CHECK(d.physical == 1000);  // never behind what it issued
  CHECK(d.logical == 2);
  CHECK(e == Timestamp{2000, 0, 1});
}

TEST_CASE("HLC keeps causality where the wall clock loses it", "[kit][hlc]") {
  // n1's clock is ahead; n2 writes after seeing n1's write.
  Hlc n1(1), n2(2);
  const Timestamp first = n1.Now(5'000);
  n2.Observe(first, 1'000);
  const Timestamp second = n2.Now(1'000);
  CHECK(first < second);                            // the later write wins
  CHECK(WallTimestamp(1'000, 2) < first);           // with wall time it would lose
  CHECK(second.physical == 5'000);                  // physical part: the largest seen
  CHECK(second.logical == first.logical + 1);
}

TEST_CASE("HLC: Restore never moves the clock back", "[kit][hlc]") {
  Hlc c(3);
  c.Now(700);
  c.Restore(Timestamp{500, 9, 3});
  CHECK(c.last().physical == 700);
  c.Restore(Timestamp{900, 4, 3});
  CHECK(c.Now(100) == Timestamp{900, 5, 3});
}

TEST_CASE("HLC: every happened-before pair is ordered, whatever the skew", "[kit][hlc][property]") {
  // Three nodes with skewed, jumping clocks exchange messages at random.
  // happened-before = program order + message edges (transitively); each
  // event's set of predecessors is tracked as a bitset.
  Rng rng(5);
  for (int round = 0; round < 200; ++round) {
    std::vector<Hlc> clocks{Hlc(0), Hlc(1), Hlc(2)};
    std::vector<int64_t> skew{0, static_cast<int64_t>(rng.Range(-5000, 5000)), static_cast<int64_t>(rng.Range(-5000, 5000))};
    struct Event {
      Timestamp ts;
      std::vector<bool> before;  // events that happened before this one
    };
    std::vector<Event> events;
    std::vector<int> last(3, -1);  // each node's last event
    int64_t now = 0;
    for (int step = 0; step < 60; ++step) {
      now += static_cast<int64_t>(rng.Range(0, 300));
      const auto node = static_cast<size_t>(rng.Uniform(3));
      const int64_t wall = now + skew[node] - (rng.Chance(1, 10) ? 2000 : 0);  // sometimes a step back
      Event e;
      e.before.assign(events.size() + 1, false);
      auto inherit = [&](int from) {
        if (from < 0) return;
        e.before[static_cast<size_t>(from)] = true;
        const auto& b = events[static_cast<size_t>(from)].before;
        for (size_t i = 0; i < b.size(); ++i) e.before[i] = e.before[i] || b[i];
      };
      inherit(last[node]);
      if (rng.Chance(1, 2)) {  // receive a message sent at some other node's last event
        const auto from = static_cast<size_t>(rng.Uniform(3));
        if (from != node && last[from] >= 0) {
          clocks[node].Observe(events[static_cast<size_t>(last[from])].ts, wall);
          inherit(last[from]);
        }
      }
      e.ts = clocks[node].Now(wall);
      last[node] = static_cast<int>(events.size());
      events.push_back(std::move(e));
    }
    for (size_t j = 0; j < events.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        if (events[j].before[i]) REQUIRE(events[i].ts < events[j].ts);
      }
    }
  }
}

}  // namespace
}  // namespace faultline::kit
