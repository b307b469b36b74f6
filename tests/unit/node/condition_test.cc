#include <catch2/catch.hpp>

#include "sim/node/condition.h"
#include "tests/unit/testing.h"

namespace faultline {
namespace {

using testing::Harness;
using namespace literals;

int64_t Ms(Env& env) { return env.now().nanos() / 1'000'000; }

// A service with a condition member, as real services hold them: fiber
// "w<i>" waits (with `timeout`), and "notify" calls NotifyAll at 100 ms.
struct Waiters final : Service {
  Waiters(Env& env, int n, Duration timeout, std::vector<std::string>* log)
      : env(env), cond(env), log(log) {
    for (int i = 0; i < n; ++i) {
      env.Spawn(Cat("w", i), [this, i, timeout] {
        Status s = cond.Wait(timeout);
        this->log->push_back(Cat("w", i, " ", s.ok() ? "ok" : ErrorName(s.code()), " @", Ms(this->env)));
      });
    }
    env.Spawn("notify", [this] {
      if (!this->env.Sleep(100_ms).ok()) return;
      this->log->push_back(Cat("notify @", Ms(this->env), " waiting ", cond.waiting()));
      cond.NotifyAll();
    });
  }
  Env& env;
  Condition cond;
  std::vector<std::string>* log;
};

TEST_CASE("Condition: NotifyAll wakes every waiter, in wait order, at once", "[env][condition]") {
  Harness h;
  std::vector<std::string> log;
  h.cluster.AddNode("n1", [&](Env& env) { return std::make_unique<Waiters>(env, 3, Duration::Max(), &log); });
  h.cluster.StartAll();
  h.RunFor(1_s);
  CHECK(log == std::vector<std::string>{"notify @100 waiting 3", "w0 ok @100", "w1 ok @100", "w2 ok @100"});
}

TEST_CASE("Condition: a wait times out, a notify before the timeout wins", "[env][condition]") {
  for (int64_t timeout_ms : {50, 500}) {
    Harness h;
    std::vector<std::string> log;
    h.cluster.AddNode("n1", [&](Env& env) {
      return std::make_unique<Waiters>(env, 1, Duration::Millis(timeout_ms), &log);
    });
    h.cluster.StartAll();
    h.RunFor(2_s);
    if (timeout_ms == 50) {
      CHECK(log == std::vector<std::string>{"w0 timeout @50", "notify @100 waiting 0"});
    } else {  // and the stale timer at 500 ms wakes nothing
      CHECK(log == std::vector<std::string>{"notify @100 waiting 1", "w0 ok @100"});
    }
  }
}

TEST_CASE("Condition: a crash unwinds the waiters, the node restarts clean", "[env][condition]") {
  Harness h;
  std::vector<std::string> log;
  NodeId n = h.cluster.AddNode("n1", [&](Env& env) {
    return std::make_unique<Waiters>(env, 2, Duration::Max(), &log);
  });
  h.cluster.StartAll();
  h.At(50_ms, [&] { REQUIRE(h.world.faults().Crash(n).ok()); });  // before the notify
  h.At(200_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
  h.RunFor(1_s);
  // The first incarnation's waiters never logged (unwound, and the
  // Condition was destroyed with no one left on it); the second's woke.
  CHECK(log == std::vector<std::string>{"notify @300 waiting 2", "w0 ok @300", "w1 ok @300"});
}

}  // namespace
}  // namespace faultline
