#include <catch2/catch.hpp>

#include <vector>

#include "tests/unit/engine/engine_testing.h"

namespace faultline {
namespace {

using testing::BootHooks;
using namespace literals;

struct OnExit {
  std::function<void()> fn;
  ~OnExit() { fn(); }
};

TEST_CASE("Crash unwinds every fiber of the node and drops its timers", "[lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  int unwound = 0, woke_after_crash = 0;
  Status during_unwind;
  NodeId n = hooks.Add("n1", [&](NodeId self) {
    sim.Spawn(self, "helper", [&] {
      OnExit guard{[&] { ++unwound; }};
      (void)sim.Sleep(10_s);
      ++woke_after_crash;
    });
    OnExit guard{[&] {
      ++unwound;
      // A blocking call from a destructor during a crash returns at once.
      during_unwind = sim.Sleep(1_s);
    }};
    (void)sim.Sleep(10_s);
    ++woke_after_crash;
  });
  sim.Start(n);
  sim.ScheduleCallback(Time::Zero() + 1_s, NodeId(), [&] { sim.Crash(n); });
  sim.Run(Time::Zero() + 1_h);
  CHECK(unwound == 2);
  CHECK(woke_after_crash == 0);
  CHECK(during_unwind.code() == Error::kCrashed);
  CHECK(sim.state(n) == NodeState::kCrashed);
  CHECK(hooks.crashes == 1);
  CHECK(sim.fiber_count() == 0);
  CHECK(sim.pending_events() == 0);
}

TEST_CASE("Restart boots the node again with a new incarnation", "[lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  std::vector<int64_t> boots_at;
  NodeId n = hooks.Add("n1", [&](NodeId) {
    boots_at.push_back(sim.now().nanos());
    (void)sim.Sleep(1_h);
  });
  sim.Start(n);
  uint32_t first = sim.incarnation(n);
  sim.ScheduleCallback(Time::Zero() + 1_s, NodeId(), [&] { sim.Crash(n); });
  sim.ScheduleCallback(Time::Zero() + 3_s, NodeId(), [&] { sim.Restart(n); });
  sim.Run(Time::Zero() + 10_s);
  CHECK(boots_at == std::vector<int64_t>{0, 3'000'000'000});
  CHECK(sim.incarnation(n) > first);
  CHECK(sim.state(n) == NodeState::kUp);
}

TEST_CASE("A paused node's timers are held until it resumes", "[lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  std::vector<int64_t> ticks;
  NodeId n = hooks.Add("n1", [&](NodeId) {
    for (;;) {
      (void)sim.Sleep(1_s);
      ticks.push_back(sim.now().nanos() / 1'000'000);
    }
  });
  sim.Start(n);
  sim.ScheduleCallback(Time::Zero() + 2500_ms, NodeId(), [&] { sim.Pause(n); });
  sim.ScheduleCallback(Time::Zero() + 7200_ms, NodeId(), [&] { sim.Resume(n); });
  sim.Run(Time::Zero() + 9_s);
  // 1s, 2s; the 3s tick waits for the resume at 7.2s; then every second.
  CHECK(ticks == std::vector<int64_t>{1000, 2000, 7200, 8200});
}

TEST_CASE("Crash requested from inside a fiber is deferred, not reentrant", "[lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  bool after_request = false;
  NodeId n = hooks.Add("n1", [&](NodeId self) {
    sim.Crash(self);
    after_request = true;  // still running: the crash is an event at now()
    (void)sim.Sleep(1_s);
    FAIL("slept through a crash");
  });
  sim.Start(n);
  sim.Run(Time::Zero() + 5_s);
  CHECK(after_request);
  CHECK(sim.state(n) == NodeState::kCrashed);
}

TEST_CASE("Lifecycle operations that mean nothing are ignored", "[lifecycle]") {
  Simulation sim(SimOptions{.seed = 1});
  BootHooks hooks(sim);
  NodeId n = hooks.Add("n1", [&](NodeId) { (void)sim.Sleep(1_h); });
  sim.Resume(n);  // not paused
  sim.Crash(n);   // not started
  CHECK(sim.state(n) == NodeState::kStopped);
  sim.Start(n);
  sim.Start(n);  // already up
  sim.Run(Time::Zero() + 1_s);
  CHECK(hooks.boots == 1);
  sim.Crash(n);
  sim.Crash(n);
  CHECK(hooks.crashes == 1);
}

}  // namespace
}  // namespace faultline
