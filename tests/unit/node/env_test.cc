#include <catch2/catch.hpp>

#include "tests/unit/node/test_messages.pb.h"
#include "tests/unit/testing.h"

namespace faultline {
namespace {

using testing::Harness;
using namespace literals;
using test::Num;

Num N(int64_t v) {
  Num n;
  n.set_v(v);
  return n;
}

TEST_CASE("One-way messages arrive in order, Receive times out", "[env]") {
  Harness h;
  std::vector<int64_t> got;
  Error last = Error::kOk;
  h.Add([&](Env& env) {
    for (;;) {
      Result<Inbound> m = env.Receive(1_s);
      if (!m.ok()) {
        last = m.code();
        return;
      }
      Num n;
      REQUIRE(m->ParseTo(&n));
      CHECK(m->method() == "num");
      got.push_back(n.v());
    }
  });
  h.Add([&](Env& env) {
    for (int i = 0; i < 5; ++i) REQUIRE(env.Send(NodeId(0), "num", N(i)).ok());
  });
  h.cluster.StartAll();
  h.RunFor(10_s);
  CHECK(got == std::vector<int64_t>{0, 1, 2, 3, 4});
  CHECK(last == Error::kTimeout);
}

TEST_CASE("A paused node receives nothing until resumed, then everything", "[env][lifecycle]") {
  Harness h;
  std::vector<std::pair<int64_t, int64_t>> got;  // (ms, value)
  h.Add([&](Env& env) {
    for (;;) {
      Result<Inbound> m = env.Receive();
      if (!m.ok()) return;
      Num n;
      REQUIRE(m->ParseTo(&n));
      got.emplace_back(env.now().nanos() / 1'000'000, n.v());
    }
  });
  h.Add([&](Env& env) {
    for (int i = 0; i < 3; ++i) {
      REQUIRE(env.Send(NodeId(0), "num", N(i)).ok());
      (void)env.Sleep(100_ms);
    }
  });
  h.At(50_ms, [&] { REQUIRE(h.world.faults().Pause(NodeId(0)).ok()); });
  h.At(700_ms, [&] { REQUIRE(h.world.faults().Resume(NodeId(0)).ok()); });
  h.cluster.StartAll();
  h.RunFor(2_s);
  CHECK(got == std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {700, 1}, {700, 2}});
}

TEST_CASE("A restarted node boots from the disk that survived", "[env][disk][lifecycle]") {
  Harness h;
  std::vector<std::string> seen_at_boot;
  h.Add([&](Env& env) {
    Result<std::string> data = env.disk().ReadAll("state");
    seen_at_boot.push_back(data.ok() ? *data : "<none>");
    REQUIRE(env.disk().Append("state", "synced;").ok());
    REQUIRE(env.disk().Fsync("state").ok());
    REQUIRE(env.disk().Append("state", "volatile;").ok());
    (void)env.Sleep(1_h);
  });
  h.cluster.StartAll();
  h.At(1_s, [&] { REQUIRE(h.world.faults().Crash(NodeId(0)).ok()); });
  h.At(2_s, [&] { REQUIRE(h.world.faults().Restart(NodeId(0)).ok()); });
  h.RunFor(3_s);
  CHECK(seen_at_boot == std::vector<std::string>{"<none>", "synced;"});
}

TEST_CASE("Node clocks move with faults, virtual time does not", "[env][clocks]") {
  Harness h;
  Time now, wall, mono;
  h.Add([&](Env& env) {
    (void)env.Sleep(2_s);
    now = env.now();
    wall = env.wall_clock();
    mono = env.monotonic_clock();
  });
  h.cluster.StartAll();
  h.At(1_s, [&] { REQUIRE(h.world.faults().Skew(NodeId(0), 400_ms).ok()); });
  h.At(1_s, [&] { REQUIRE(h.world.faults().Jump(NodeId(0), -(1_s)).ok()); });
  h.RunFor(3_s);
  CHECK(now == Time::Zero() + 2_s);
  CHECK(wall == Time::Zero() + 1400_ms);
  CHECK(mono == Time::Zero() + 2_s);
}

TEST_CASE("Sending to a node that does not exist is a clear error", "[env][bad-input]") {
  Harness h;
  Status s;
  h.Add([&](Env& env) { s = env.Send(NodeId(3), "num", N(1)); });
  h.cluster.StartAll();
  h.RunFor(1_s);
  CHECK(s.code() == Error::kInvalidArgument);
  CHECK(s.message() == "n1 sent to node #3, which does not exist (1 nodes)");
}

TEST_CASE("Wire bytes of a map field do not depend on insertion order", "[env][determinism]") {
  test::WithMap a, b;
  for (int i = 0; i < 50; ++i) (*a.mutable_counts())["k" + std::to_string(i)] = i;
  for (int i = 49; i >= 0; --i) (*b.mutable_counts())["k" + std::to_string(i)] = i;
  CHECK(SerializeDeterministic(a) == SerializeDeterministic(b));
  test::WithMap back;
  REQUIRE(back.ParseFromString(SerializeDeterministic(a)));
  CHECK(back.counts().size() == 50);
}

// Flushes its buffer to disk and says goodbye in its destructor: a common
// RAII pattern that a kill -9 must not honour.
class PoliteService final : public Service {
 public:
  PoliteService(Env& env, Status* flush, Status* goodbye)
      : env_(env), flush_(flush), goodbye_(goodbye) {}
  ~PoliteService() override {
    *flush_ = env_.disk().Append("wal", "flushed-by-destructor");
    *goodbye_ = env_.Send(NodeId(1), "bye", test::Num());
  }
  void Run() override {
    REQUIRE(env_.disk().Append("wal", "unsynced").ok());
    (void)env_.Sleep(1_h);
  }

 private:
  Env& env_;
  Status* flush_;
  Status* goodbye_;
};

TEST_CASE("A crash flushes nothing: destructors cannot write or send", "[env][lifecycle]") {
  Harness h;
  Status flush, goodbye;
  h.cluster.AddNode("n1", [&](Env& env) {
    return std::make_unique<PoliteService>(env, &flush, &goodbye);
  });
  h.Add([](Env&) {});
  h.cluster.StartAll();
  h.At(1_s, [&] { h.sim.Crash(NodeId(0)); });  // straight to the engine, not the switchboard
  h.RunFor(2_s);
  CHECK(flush.code() == Error::kCrashed);
  CHECK(goodbye.code() == Error::kCrashed);
  CHECK_FALSE(h.world.disk(NodeId(0)).Exists("wal"));  // unsynced writes lost on any crash path
  CHECK(h.world.network().stats().sent == 0);
}

TEST_CASE("Negative timeouts are rejected, not scheduled in the past", "[env][bad-input]") {
  Harness h;
  Error recv = Error::kOk, call = Error::kOk;
  h.Add([&](Env& env) {
    recv = env.Receive(-(1_ms)).code();
    call = env.CallRaw(NodeId(0), "x", "", -(1_ms)).code();
  });
  h.cluster.StartAll();
  h.RunFor(1_s);
  CHECK(recv == Error::kInvalidArgument);
  CHECK(call == Error::kInvalidArgument);
}

TEST_CASE("Log records are structured, stamped, and part of the trace", "[env][trace]") {
  auto run = [](std::string term, std::vector<LogRecord>* out) {
    Harness h;
    h.sim.SetLogSink([out](const LogRecord& r) { out->push_back(r); });
    h.Add([term](Env& env) {
      (void)env.Sleep(250_ms);
      env.Log("lease.expired", {{"holder", "n1"}, {"term", term}});
    });
    h.cluster.StartAll();
    h.RunFor(1_s);
    return h.sim.trace_hash();
  };
  std::vector<LogRecord> got;
  uint64_t a = run("4", &got);
  REQUIRE(got.size() == 1);
  CHECK(got[0].at == Time::Zero() + 250_ms);
  CHECK(got[0].node == NodeId(0));
  CHECK(got[0].event == "lease.expired");
  CHECK(got[0].fields == std::vector<LogField>{{"holder", "n1"}, {"term", "4"}});
  CHECK(got[0].ToString("n1") == "0.250000000s n1 lease.expired holder=n1 term=4");
  std::vector<LogRecord> other;
  CHECK(run("4", &other) == a);
  CHECK(run("5", &other) != a);  // a field's value reaches the trace hash
}

}  // namespace
}  // namespace faultline
