#include <catch2/catch.hpp>

#include "tests/unit/testing.h"

namespace faultline {
namespace {

using testing::Harness;
using namespace literals;

TEST_CASE("The switchboard records each fault with its time", "[switchboard]") {
  Harness h;
  for (int i = 0; i < 3; ++i) h.Add([](Env& env) { (void)env.Sleep(1_h); });
  h.cluster.StartAll();
  Switchboard& f = h.world.faults();
  h.At(1_s, [&] { REQUIRE(f.Isolate(NodeId(2)).ok()); });
  h.At(2_s, [&] { REQUIRE(f.Skew(NodeId(0), -(250_ms)).ok()); });
  h.At(3_s, [&] { REQUIRE(f.Crash(NodeId(1)).ok()); });
  h.At(4_s, [&] { REQUIRE(f.Crash(NodeId(1)).ok()); });  // already down: no effect
  h.At(5_s, [&] { REQUIRE(f.Restart(NodeId(1)).ok()); });
  h.At(6_s, [&] { REQUIRE(f.Heal().ok()); });
  h.RunFor(10_s);
  const auto& a = f.applied();
  REQUIRE(a.size() == 5);
  CHECK(a[0].kind == "partition");
  CHECK(a[0].detail == "isolate n3");
  CHECK(a[1].kind == "skew");
  CHECK(a[1].detail == "offset -250ms");
  CHECK(a[2].kind == "crash");
  CHECK(a[2].at == Time::Zero() + 3_s);
  CHECK(a[3].kind == "restart");
  CHECK(a[4].kind == "heal");
}

TEST_CASE("Faults naming missing nodes or bad values are errors", "[switchboard][bad-input]") {
  Harness h;
  h.Add([](Env&) {});
  Switchboard& f = h.world.faults();
  CHECK(f.Isolate(NodeId(9)).code() == Error::kInvalidArgument);
  CHECK(f.Crash(NodeId(9)).code() == Error::kInvalidArgument);
  CHECK(f.Drift(NodeId(0), 5'000'000).code() == Error::kInvalidArgument);
  CHECK(f.Clog(NodeId(0), NodeId(0), -(1_s)).code() == Error::kInvalidArgument);
  CHECK(f.Corrupt(NodeId(0), "missing", 0, 0).code() == Error::kNotFound);
  CHECK(f.Corrupt(NodeId(0), "x", 0, 1'000'000).code() == Error::kInvalidArgument);
  CHECK(f.applied().empty());
  CHECK(f.Isolate(NodeId(9)).message().find("node #9") != std::string::npos);
}

TEST_CASE("A fault requested from a fiber applies at the same instant", "[switchboard]") {
  Harness h;
  bool disk_intact_in_step = false;
  h.Add([&](Env& env) {
    if (!env.disk().Exists("f")) {
      REQUIRE(env.disk().Append("f", "unsynced").ok());
      REQUIRE(h.world.faults().Crash(env.id()).ok());
      // The rest of this step still sees the disk as it was.
      disk_intact_in_step = env.disk().Exists("f");
      (void)env.Sleep(1_s);
    }
  });
  h.cluster.StartAll();
  h.RunFor(1_s);
  CHECK(disk_intact_in_step);
  CHECK(h.sim.state(NodeId(0)) == NodeState::kCrashed);
  CHECK_FALSE(h.world.disk(NodeId(0)).Exists("f"));
  REQUIRE(h.world.faults().applied().size() == 1);
  CHECK(h.world.faults().applied()[0].at == Time::Zero());
}

TEST_CASE("A slow disk charges its latency per operation", "[switchboard][disk]") {
  Harness h;
  Time done;
  h.Add([&](Env& env) {
    for (int i = 0; i < 3; ++i) REQUIRE(env.disk().Append("f", "x").ok());
    REQUIRE(env.disk().Fsync("f").ok());
    done = env.now();
  });
  REQUIRE(h.world.faults().SlowDisk(NodeId(0), 5_ms).ok());
  h.cluster.StartAll();
  h.RunFor(1_s);
  CHECK(done == Time::Zero() + 20_ms);
}

TEST_CASE("Corrupting bytes that were never synced is an error", "[switchboard][disk][bad-input]") {
  Harness h;
  h.Add([](Env&) {});
  REQUIRE(h.world.disk(NodeId(0)).Append("f", std::string(100, 'x')).ok());
  Status s = h.world.faults().Corrupt(NodeId(0), "f", 0, 8);
  CHECK(s.code() == Error::kInvalidArgument);
  CHECK(s.message().find("stored (synced) bytes") != std::string::npos);
  REQUIRE(h.world.disk(NodeId(0)).Fsync("f").ok());
  CHECK(h.world.faults().Corrupt(NodeId(0), "f", 0, 8).ok());
}

TEST_CASE("Partitions by name: unknown names are errors that list the known", "[switchboard][bad-input]") {
  Harness h;
  for (int i = 0; i < 3; ++i) h.Add([](Env&) {});
  Switchboard& f = h.world.faults();
  Status bad = f.PartitionNamed({{"n1", "n2"}, {"n9"}});
  CHECK(bad.code() == Error::kInvalidArgument);
  CHECK(bad.message() == "partition group 2: unknown node \"n9\" (known: n1, n2, n3)");
  CHECK(f.applied().empty());
  REQUIRE(f.PartitionNamed({{"n1", "n2"}, {"n3"}}).ok());
  CHECK(f.applied().back().detail == "groups [n1,n2] | [n3]");
  CHECK_FALSE(h.world.network().Connected(NodeId(0), NodeId(2)));
  CHECK(h.world.network().Connected(NodeId(0), NodeId(1)));
}

TEST_CASE("Ordered helpers record which nodes are on each side", "[switchboard]") {
  Harness h;
  for (int i = 0; i < 5; ++i) h.Add([](Env&) {});
  Switchboard& f = h.world.faults();
  std::vector<NodeId> order = {NodeId(4), NodeId(0), NodeId(3), NodeId(1), NodeId(2)};
  REQUIRE(f.Bridge(order).ok());
  CHECK(f.applied().back().detail == "bridge [n5,n1] | n4 | [n2,n3]");
  REQUIRE(f.Halves(order).ok());
  CHECK(f.applied().back().detail == "halves [n5,n1] | [n4,n2,n3]");
  REQUIRE(f.MajoritiesRing(order).ok());
  CHECK(f.applied().back().detail == "majorities ring [n5,n1,n4,n2,n3]");
  CHECK(f.Halves({NodeId(0), NodeId(0)}).code() == Error::kInvalidArgument);
  CHECK(f.Halves({}).code() == Error::kInvalidArgument);
  CHECK(f.PartitionNamed({}).code() == Error::kInvalidArgument);
  CHECK(f.MajoritiesRing({NodeId(0), NodeId(1), NodeId(2)}).code() == Error::kInvalidArgument);
  REQUIRE(f.Halves({NodeId(0), NodeId(1), NodeId(2)}).ok());
  CHECK(f.applied().back().detail == "halves [n1] | [n2,n3], isolated [n4,n5]");
  CHECK(f.Bridge({NodeId(0), NodeId(7)}).code() == Error::kInvalidArgument);
}

}  // namespace
}  // namespace faultline
