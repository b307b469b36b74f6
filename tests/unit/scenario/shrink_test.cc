// The shrinker's search (sim/scenario/shrink.h) against predicates whose
// minimal failing input is known, so the test can say what it must find.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/core/strings.h"
#include "sim/scenario/shrink.h"

namespace faultline::scenario {
namespace {

ScenarioSpec Big() {
  ScenarioSpec s;
  s.nodes = 5;
  s.duration = Duration::Seconds(8);
  s.workload.clients = 8;
  s.workload.think = Duration::Millis(20);
  for (int i = 0; i < 12; ++i) {
    Scheduled f;
    f.at = Duration::Millis(500 * i);
    f.fault.kind = i % 2 ? "pause" : "crash";
    f.fault.nodes = {NodeRef{Cat("r", 1 + i % 5), ""}};
    f.lasting = Duration::Millis(400);
    s.schedule.push_back(f);
  }
  return s;
}

bool Has(const ScenarioSpec& s, int64_t at_ms) {
  return std::any_of(s.schedule.begin(), s.schedule.end(), [at_ms](const Scheduled& f) { return f.at.nanos() / 1'000'000 <= at_ms && f.at.nanos() / 1'000'000 + 200 > at_ms; });
}

std::vector<std::string> Names(const ScenarioSpec& s) {
  std::vector<std::string> out;
  for (int i = 0; i < s.nodes; ++i) out.push_back(Cat("r", i + 1));
  return out;
}

TEST_CASE("shrink finds the two faults a failure needs, and cuts clients, time and operations to what it needs") {
  // Fails when the faults that start at 1.5 s and 4 s are both there (a
  // delay of up to 200 ms still counts), with 2+ clients and 5 s of run.
  int calls = 0;
  Interesting fails = [&calls](const ScenarioSpec& s) {
    ++calls;
    return Has(s, 1500) && Has(s, 4000) && s.workload.clients >= 2 && s.duration >= Duration::Millis(4500);
  };
  ShrinkOptions o;
  o.min_nodes = 3;
  o.server_names = Names;
  ShrinkStats stats;
  const ScenarioSpec small = Shrink(Big(), fails, o, &stats);
  CHECK(fails(small));
  REQUIRE(small.schedule.size() == 2);
  CHECK(small.schedule[0].at >= Duration::Millis(1500));
  CHECK(small.schedule[1].at >= Duration::Millis(4000));
  CHECK(small.schedule[0].lasting <= Duration::Millis(100));  // 400 ms halved while it still failed
  CHECK(small.workload.clients == 2);
  CHECK(small.duration >= Duration::Millis(4500));
  CHECK(small.duration < Duration::Seconds(6));
  CHECK(small.workload.think > Duration::Millis(20));  // fewer operations cost nothing here
  // Both needed faults are on r4: r5 can go (with its faults), r4 cannot.
  CHECK(small.nodes == 4);
  CHECK(stats.runs == calls - 1);
  CHECK(stats.accepted == static_cast<int>(stats.steps.size()));
}

TEST_CASE("shrink stops at its budget and returns the smallest failing spec so far") {
  Interesting fails = [](const ScenarioSpec& s) { return Has(s, 1500); };
  ShrinkOptions o;
  o.budget = 3;
  ShrinkStats stats;
  const ScenarioSpec small = Shrink(Big(), fails, o, &stats);
  CHECK(stats.runs == 3);
  CHECK(Has(small, 1500));
  CHECK(small.schedule.size() < 12);
}

TEST_CASE("shrink drops nodes down to the model's minimum, with the faults that named them") {
  ShrinkOptions o;
  o.min_nodes = 2;
  o.server_names = Names;
  ShrinkStats stats;
  const ScenarioSpec none = Shrink(Big(), [](const ScenarioSpec& s) { return s.nodes >= 1; }, o, &stats);
  CHECK(none.nodes == 2);  // not below the model's minimum
  CHECK(none.schedule.empty());
  // Needs some fault: what is left names only nodes that are left.
  const ScenarioSpec some = Shrink(Big(), [](const ScenarioSpec& s) { return !s.schedule.empty(); }, o, &stats);
  CHECK(some.nodes == 2);
  REQUIRE(!some.schedule.empty());
  for (const Scheduled& f : some.schedule) {
    for (const NodeRef& n : f.fault.nodes) CHECK((n.name == "r1" || n.name == "r2"));
  }
}

TEST_CASE("A failure that needs no fault shrinks to an empty schedule in one run") {
  ShrinkStats stats;
  const ScenarioSpec small = Shrink(Big(), [](const ScenarioSpec&) { return true; }, ShrinkOptions{}, &stats);
  CHECK(small.schedule.empty());
  CHECK(stats.steps.at(0).find("fails with no fault at all") == 0);
}

}  // namespace
}  // namespace faultline::scenario
