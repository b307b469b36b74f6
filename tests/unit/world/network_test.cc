#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/world/world.h"
#include "tests/unit/engine/engine_testing.h"

namespace faultline {
namespace {

using testing::BootHooks;
using namespace literals;

struct Received {
  int64_t at_ms;
  uint32_t from, to;
  std::string bytes;
  bool operator==(const Received&) const = default;
};

// Nodes that do nothing, and a receiver that records every delivery.
struct NetFixture : NetworkReceiver {
  explicit NetFixture(int nodes = 3, uint64_t seed = 1)
      : sim(SimOptions{.seed = seed}), world(sim), hooks(sim) {
    world.network().SetReceiver(this);
    for (int i = 0; i < nodes; ++i) {
      world.AddNode("n" + std::to_string(i + 1), &hooks);
      sim.Start(NodeId(i));
    }
  }
  ~NetFixture() override { world.network().SetReceiver(nullptr); }
  void Deliver(NodeId from, NodeId to, std::string bytes) override {
    got.push_back({sim.now().nanos() / 1'000'000, from.value, to.value, std::move(bytes)});
  }
  void SendAt(Duration t, uint32_t from, uint32_t to, std::string bytes) {
    sim.ScheduleCallback(Time::Zero() + t, NodeId(), [this, from, to, bytes] {
      REQUIRE(world.network().Send(NodeId(from), NodeId(to), bytes).ok());
    });
  }
  void At(Duration t, absl::AnyInvocable<void()> fn) {
    sim.ScheduleCallback(Time::Zero() + t, NodeId(), std::move(fn));
  }
  Simulation sim;
  World world;
  BootHooks hooks;
  std::vector<Received> got;
};

TEST_CASE("A message arrives after the link's latency", "[net]") {
  NetFixture f;
  f.SendAt(10_ms, 0, 1, "hello");
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{11, 0, 1, "hello"}});
  CHECK(f.world.network().stats().delivered == 1);
}

TEST_CASE("A one-way partition drops a->b but delivers b->a", "[net][partition]") {
  NetFixture f;
  REQUIRE(f.world.faults().OneWay(NodeId(0), NodeId(1)).ok());
  f.SendAt(0_ms, 0, 1, "a->b");
  f.SendAt(0_ms, 1, 0, "b->a");
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{1, 1, 0, "b->a"}});
  CHECK(f.world.network().stats().dropped_partition == 1);
}

TEST_CASE("A message in flight when the cut starts is dropped", "[net][partition]") {
  NetFixture f;
  f.world.network().SetDefaultLink(LinkConfig{.latency = LatencyModel::Constant(10_ms)});
  f.SendAt(0_ms, 0, 1, "in flight");
  f.At(5_ms, [&] { REQUIRE(f.world.faults().Isolate(NodeId(1)).ok()); });
  f.sim.Run(Time::Max());
  CHECK(f.got.empty());
  CHECK(f.world.network().stats().dropped_partition == 1);
}

TEST_CASE("A message sent during a cut that heals before it lands arrives", "[net][partition]") {
  NetFixture f;
  f.world.network().SetDefaultLink(LinkConfig{.latency = LatencyModel::Constant(10_ms)});
  REQUIRE(f.world.faults().Isolate(NodeId(1)).ok());
  f.SendAt(0_ms, 0, 1, "sent during cut");
  f.At(5_ms, [&] { REQUIRE(f.world.faults().Heal().ok()); });
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{10, 0, 1, "sent during cut"}});
}

TEST_CASE("Halves cut across but not within", "[net][partition]") {
  NetFixture f(4);
  REQUIRE(f.world.faults().PartitionHalves().ok());
  f.SendAt(0_ms, 0, 1, "same half");
  f.SendAt(0_ms, 0, 2, "across");
  f.SendAt(0_ms, 3, 2, "same other half");
  f.sim.Run(Time::Max());
  REQUIRE(f.got.size() == 2);
  CHECK(f.got[0].bytes == "same half");
  CHECK(f.got[1].bytes == "same other half");
}

TEST_CASE("Loss drops about its probability of messages", "[net]") {
  NetFixture f;
  LinkConfig c;
  c.loss = Probability::Parse("0.3").value();
  f.world.network().SetDefaultLink(c);
  for (int i = 0; i < 2000; ++i) f.SendAt(Duration::Micros(i), 0, 1, "x");
  f.sim.Run(Time::Max());
  uint64_t lost = f.world.network().stats().dropped_loss;
  CHECK((lost > 520 && lost < 680));
  CHECK(f.got.size() == 2000 - lost);
}

TEST_CASE("Duplication delivers a message twice", "[net]") {
  NetFixture f;
  LinkConfig c;
  c.duplicate = Probability::Always();
  f.world.network().SetDefaultLink(c);
  f.SendAt(0_ms, 0, 1, "twice");
  f.sim.Run(Time::Max());
  REQUIRE(f.got.size() == 2);
  CHECK(f.got[0].bytes == "twice");
  CHECK(f.got[1].bytes == "twice");
  CHECK(f.world.network().stats().duplicated == 1);
}

TEST_CASE("Random latency reorders unless the link is fifo", "[net]") {
  for (bool fifo : {false, true}) {
    NetFixture f;
    f.world.network().SetDefaultLink(
        LinkConfig{.latency = LatencyModel::Uniform(1_ms, 50_ms), .fifo = fifo});
    for (int i = 0; i < 200; ++i) {
      f.SendAt(Duration::Micros(100 * i), 0, 1, std::to_string(i));
    }
    f.sim.Run(Time::Max());
    REQUIRE(f.got.size() == 200);
    bool in_order = true;
    for (int i = 0; i < 200; ++i) in_order &= f.got[i].bytes == std::to_string(i);
    CHECK(in_order == fifo);
  }
}

TEST_CASE("A clogged link holds traffic, then delivers it in order", "[net]") {
  NetFixture f;
  REQUIRE(f.world.faults().Clog(NodeId(0), NodeId(1), 100_ms).ok());
  f.SendAt(0_ms, 0, 1, "first");
  f.SendAt(20_ms, 0, 1, "second");
  f.SendAt(20_ms, 1, 0, "other direction");
  f.SendAt(150_ms, 0, 1, "after");
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{21, 1, 0, "other direction"},
                                       {100, 0, 1, "first"},
                                       {100, 0, 1, "second"},
                                       {151, 0, 1, "after"}});
}

TEST_CASE("Per-link configuration overrides the default", "[net]") {
  NetFixture f;
  REQUIRE(f.world.faults()
              .SetLink(NodeId(0), NodeId(2), LinkConfig{.latency = LatencyModel::Constant(40_ms)})
              .ok());
  f.SendAt(0_ms, 0, 1, "default");
  f.SendAt(0_ms, 0, 2, "slow");
  f.SendAt(0_ms, 2, 0, "reverse is default");
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{1, 0, 1, "default"},
                                       {1, 2, 0, "reverse is default"},
                                       {40, 0, 2, "slow"}});
}

TEST_CASE("Messages to a crashed node are dropped, to a paused one, held", "[net]") {
  NetFixture f;
  f.At(0_ms, [&] { f.sim.Crash(NodeId(1)); f.sim.Pause(NodeId(2)); });
  f.SendAt(1_ms, 0, 1, "to crashed");
  f.SendAt(1_ms, 0, 2, "to paused");
  f.At(50_ms, [&] { f.sim.Resume(NodeId(2)); });
  f.sim.Run(Time::Max());
  CHECK(f.got == std::vector<Received>{{50, 0, 2, "to paused"}});
  CHECK(f.world.network().stats().dropped_down == 1);
}

TEST_CASE("Sending to a node that does not exist is an error", "[net][bad-input]") {
  NetFixture f;
  Status s = f.world.network().Send(NodeId(0), NodeId(7), "x");
  CHECK(s.code() == Error::kUnreachable);
  CHECK(s.message().find("does not exist") != std::string::npos);
}

TEST_CASE("A clog keeps order with messages sent while it lasts", "[net]") {
  // M1 is held from 6ms to 10ms; M2, sent at 9ms, is due exactly at 10ms.
  // M1 was sent first, so it must arrive first.
  NetFixture f;
  f.At(2_ms, [&] { REQUIRE(f.world.faults().Clog(NodeId(0), NodeId(1), 8_ms).ok()); });
  f.SendAt(5_ms, 0, 1, "M1");
  f.SendAt(9_ms, 0, 1, "M2");
  f.sim.Run(Time::Max());
  REQUIRE(f.got.size() == 2);
  CHECK(f.got[0].bytes == "M1");
  CHECK(f.got[1].bytes == "M2");
  CHECK(f.got[0].at_ms == 10);
}

TEST_CASE("Resume delivers held messages before later ones at that instant", "[net][lifecycle]") {
  NetFixture f;
  f.At(0_ms, [&] { f.sim.Pause(NodeId(1)); });
  f.SendAt(1_ms, 0, 1, "held");
  f.SendAt(9_ms, 0, 1, "due at resume");
  f.At(10_ms, [&] { f.sim.Resume(NodeId(1)); });
  f.sim.Run(Time::Max());
  REQUIRE(f.got.size() == 2);
  CHECK(f.got[0].bytes == "held");
  CHECK(f.got[1].bytes == "due at resume");
}

TEST_CASE("Deliveries held by a node that then crashes are released", "[net][lifecycle]") {
  NetFixture f;
  f.At(0_ms, [&] { f.sim.Pause(NodeId(1)); });
  f.SendAt(1_ms, 0, 1, "a");
  f.SendAt(1_ms, 0, 1, "b");
  f.At(5_ms, [&] { f.sim.Crash(NodeId(1)); });
  f.sim.Run(Time::Max());
  CHECK(f.got.empty());
  CHECK(f.world.network().in_flight() == 0);
  CHECK(f.world.network().stats().dropped_down == 2);
}

}  // namespace
}  // namespace faultline
