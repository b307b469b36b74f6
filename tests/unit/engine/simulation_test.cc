#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/core/strings.h"
#include "tests/unit/engine/engine_testing.h"

namespace faultline {
namespace {

using testing::BootHooks;
using namespace literals;

TEST_CASE("Sleep advances virtual time, not wall time", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  std::vector<int64_t> woke;
  NodeId n = hooks.Add("n1", [&](NodeId) {
    for (int i = 0; i < 3; ++i) {
      REQUIRE(sim.Sleep(1_s).ok());
      woke.push_back(sim.now().nanos());
    }
  });
  sim.Start(n);
  CHECK(sim.Run(Time::Zero() + 1_h) == StopReason::kQuiescent);
  CHECK(woke == std::vector<int64_t>{1'000'000'000, 2'000'000'000, 3'000'000'000});
  CHECK(sim.fiber_count() == 0);
}

TEST_CASE("Fibers at the same instant run in spawn order", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  std::string out;
  NodeId n = hooks.Add("n1", [&](NodeId self) {
    for (char c : std::string("abc")) {
      sim.Spawn(self, std::string(1, c), [&out, &sim, c] {
        out.push_back(c);
        (void)sim.Sleep(5_ms);
        out.push_back(static_cast<char>(c - 'a' + 'A'));
      });
    }
  });
  sim.Start(n);
  sim.Run(Time::Max());
  CHECK(out == "abcABC");
}

TEST_CASE("Run stops at the time limit and at a stop request", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  int ticks = 0;
  NodeId n = hooks.Add("n1", [&](NodeId) {
    for (;;) {
      (void)sim.Sleep(100_ms);
      if (++ticks == 25) sim.RequestStop();
    }
  });
  sim.Start(n);
  CHECK(sim.Run(Time::Zero() + 1_s) == StopReason::kTimeLimit);
  CHECK(ticks == 10);
  CHECK(sim.now() == Time::Zero() + 1_s);
  CHECK(sim.Run(Time::Max()) == StopReason::kStopRequested);
  CHECK(ticks == 25);
  CHECK(sim.Run(Time::Max(), 3) == StopReason::kEventLimit);
  // A budget that is not the reason the run ended is not reported as one.
  Simulation idle(SimOptions{.seed = 1});
  idle.ScheduleCallback(Time::Zero() + 1_s, NodeId(), [] {});
  CHECK(idle.Run(Time::Max(), 1) == StopReason::kQuiescent);
  idle.ScheduleCallback(Time::Zero() + 5_s, NodeId(), [] {});
  CHECK(idle.Run(Time::Zero() + 2_s, 0) == StopReason::kTimeLimit);
  CHECK(idle.now() == Time::Zero() + 2_s);
}

TEST_CASE("Cancelled callbacks do not run", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  int ran = 0;
  EventId a = sim.ScheduleCallback(Time::Zero() + 1_s, NodeId(), [&] { ran += 1; });
  sim.ScheduleCallback(Time::Zero() + 2_s, NodeId(), [&] { ran += 10; });
  CHECK(sim.Cancel(a));
  sim.Run(Time::Max());
  CHECK(ran == 10);
}

TEST_CASE("A wake with a stale token is ignored", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  int wakes = 0;
  NodeId n = hooks.Add("n1", [&](NodeId) {
    uint64_t token = sim.PrepareWait();
    FiberHandle me = sim.CurrentFiber();
    sim.WakeAt(me, token, sim.now() + 1_s);
    sim.WakeAt(me, token, sim.now() + 2_s);  // the second must not resume us
    REQUIRE(sim.Wait().ok());
    ++wakes;
    uint64_t token2 = sim.PrepareWait();
    sim.WakeAt(me, token2, sim.now() + 5_s);
    REQUIRE(sim.Wait().ok());
    ++wakes;
    CHECK(sim.now() == Time::Zero() + 6_s);
  });
  sim.Start(n);
  sim.Run(Time::Max());
  CHECK(wakes == 2);
}

std::pair<uint64_t, uint64_t> RunRandomSleepers(uint64_t seed) {
  Simulation sim(SimOptions{.seed = seed});
  BootHooks hooks(sim);
  for (int i = 0; i < 4; ++i) {
    hooks.Add(Cat("n", i), [&sim](NodeId self) {
      for (int k = 0; k < 50; ++k) (void)sim.Sleep(sim.NodeRng(self).Range(1_ms, 10_ms));
    });
  }
  for (uint32_t i = 0; i < 4; ++i) sim.Start(NodeId(i));
  sim.Run(Time::Max());
  return {sim.trace_hash(), sim.Unseed()};
}

TEST_CASE("The trace hash and unseed identify a run", "[sim][determinism]") {
  CHECK(RunRandomSleepers(5) == RunRandomSleepers(5));
  CHECK(RunRandomSleepers(5).first != RunRandomSleepers(6).first);
  CHECK(RunRandomSleepers(5).second != RunRandomSleepers(6).second);
}

TEST_CASE("The per-event log names the first divergent event", "[sim][determinism]") {
  auto run = [](Duration extra) {
    Simulation sim(SimOptions{.seed = 1, .trace_log = true});
    BootHooks hooks(sim);
    NodeId n = hooks.Add("n1", [&sim, extra](NodeId) {
      for (int k = 0; k < 10; ++k) (void)sim.Sleep(k == 6 ? 1_ms + extra : 1_ms);
    });
    sim.Start(n);
    sim.Run(Time::Max());
    return sim.trace().log();
  };
  auto a = run(Duration::Zero());
  auto b = run(Duration::Nanos(1));
  REQUIRE(a.size() == b.size());
  CHECK_FALSE(FirstDivergence(a, a).has_value());
  REQUIRE(FirstDivergence(a, b).has_value());
  // Event 0 starts the fiber, event k+1 ends the k-th sleep: the 7th sleep.
  CHECK(*FirstDivergence(a, b) == 7);
}

TEST_CASE("FindNode names the unknown node and the known ones", "[sim][bad-input]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  hooks.Add("n1", [](NodeId) {});
  hooks.Add("n2", [](NodeId) {});
  Result<NodeId> r = sim.FindNode("n9");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "unknown node \"n9\" (known: n1, n2)");
  CHECK(sim.FindNode("n2").value() == NodeId(1));
}

TEST_CASE("A service exception leaves Run and the simulation stays usable", "[sim]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  NodeId bad = hooks.Add("bad", [&](NodeId) {
    (void)sim.Sleep(1_s);
    throw std::runtime_error("service bug");
  });
  NodeId good = hooks.Add("good", [&](NodeId) { (void)sim.Sleep(1_h); });
  sim.Start(bad);
  sim.Start(good);
  CHECK_THROWS_WITH(sim.Run(Time::Zero() + 10_s), "service bug");
  CHECK_FALSE(sim.InFiber());
  CHECK(sim.fiber_count() == 1);  // the thrower is gone, the other still waits
  CHECK(sim.Run(Time::Zero() + 10_s) == StopReason::kTimeLimit);  // not "reentrant"
}

TEST_CASE("A callback tied to a node that crashed is released, not run", "[sim][lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  NodeId n = hooks.Add("n1", [&](NodeId) { (void)sim.Sleep(1_h); });
  sim.Start(n);
  sim.Run(Time::Zero());
  auto witness = std::make_shared<int>(0);
  std::weak_ptr<int> alive = witness;
  sim.ScheduleCallback(Time::Zero() + 2_s, n, [w = std::move(witness)] { ++*w; });
  sim.ScheduleCallback(Time::Zero() + 1_s, NodeId(), [&] { sim.Crash(n); });
  sim.Run(Time::Zero() + 3_s);
  CHECK(alive.expired());  // its captures died when it was dropped
}

}  // namespace
}  // namespace faultline
