#include <catch2/catch.hpp>

#include "tests/unit/node/test_messages.pb.h"
#include "tests/unit/testing.h"

namespace faultline {
namespace {

using testing::Harness;
using namespace literals;
using test::Num;

// n1 serves "double" (optionally slowly); n2 is the client running `client`.
struct RpcFixture {
  explicit RpcFixture(std::function<void(Env&)> client, Duration handler_delay = Duration::Zero()) {
    server = h.Add([this, handler_delay](Env& env) {
      env.Handle<Num, Num>("double", [this, &env, handler_delay](NodeId, const Num& req) -> Result<Num> {
        ++handled;
        if (handler_delay > Duration::Zero()) {
          if (Status s = env.Sleep(handler_delay); !s.ok()) return s;
        }
        if (req.v() < 0) return Status(Error::kNotFound, "negative numbers are not served");
        Num resp;
        resp.set_v(req.v() * 2);
        return resp;
      });
    });
    client_node = h.Add(std::move(client));
    h.cluster.StartAll();
  }
  Harness h;
  NodeId server, client_node;
  int handled = 0;
};

Num N(int64_t v) {
  Num n;
  n.set_v(v);
  return n;
}

TEST_CASE("A call returns the handler's reply after a round trip", "[rpc]") {
  Result<Num> got = Status(Error::kTimeout, "not run");
  Time at;
  RpcFixture f([&](Env& env) {
    got = env.Call<Num>(NodeId(0), "double", N(21), 1_s);
    at = env.now();
  });
  f.h.RunFor(5_s);
  REQUIRE(got.ok());
  CHECK(got->v() == 42);
  CHECK(at == Time::Zero() + 2_ms);
  CHECK(f.h.cluster.rpc_stats().ok == 1);
}

TEST_CASE("A call to an unreachable peer times out after its timeout", "[rpc]") {
  Result<Num> got = N(0);
  Time at;
  RpcFixture f([&](Env& env) {
    got = env.Call<Num>(NodeId(0), "double", N(1), 300_ms);
    at = env.now();
  });
  REQUIRE(f.h.world.faults().Isolate(NodeId(0)).ok());
  f.h.RunFor(5_s);
  CHECK(got.code() == Error::kTimeout);
  CHECK(got.status().message().find("after 300ms") != std::string::npos);
  CHECK(at == Time::Zero() + 300_ms);
  CHECK(f.h.cluster.rpc_stats().timeouts == 1);
}

TEST_CASE("Calls succeed again once the partition heals", "[rpc][partition]") {
  std::vector<Error> outcomes;
  RpcFixture f([&](Env& env) {
    for (int i = 0; i < 6; ++i) {
      outcomes.push_back(env.Call<Num>(NodeId(0), "double", N(i), 200_ms).code());
      (void)env.Sleep(100_ms);
    }
  });
  REQUIRE(f.h.world.faults().Isolate(NodeId(0)).ok());
  f.h.At(650_ms, [&] { REQUIRE(f.h.world.faults().Heal().ok()); });
  f.h.RunFor(5_s);
  // Calls start at 0, 300, 600 (all cut), 902, 1004, ...
  CHECK(outcomes == std::vector<Error>{Error::kTimeout, Error::kTimeout, Error::kTimeout,
                                       Error::kOk, Error::kOk, Error::kOk});
}

TEST_CASE("A reply sent after the partition heals reaches the caller", "[rpc][partition]") {
  Result<Num> got = Status(Error::kTimeout, "not run");
  RpcFixture f([&](Env& env) { got = env.Call<Num>(NodeId(0), "double", N(5), 2_s); },
               /*handler_delay=*/500_ms);
  // The request lands at 1ms; the cut lasts 100-400ms; the reply leaves at 501ms.
  f.h.At(100_ms, [&] { REQUIRE(f.h.world.faults().PartitionHalves().ok()); });
  f.h.At(400_ms, [&] { REQUIRE(f.h.world.faults().Heal().ok()); });
  f.h.RunFor(5_s);
  REQUIRE(got.ok());
  CHECK(got->v() == 10);
}

TEST_CASE("Duplicated replies are ignored, duplicated requests run twice", "[rpc]") {
  std::vector<int64_t> results;
  RpcFixture f([&](Env& env) {
    for (int i = 1; i <= 3; ++i) {
      Result<Num> r = env.Call<Num>(NodeId(0), "double", N(i), 1_s);
      REQUIRE(r.ok());
      results.push_back(r->v());
    }
  });
  LinkConfig dup;
  dup.duplicate = Probability::Always();
  REQUIRE(f.h.world.faults().SetLink(NodeId(0), NodeId(1), dup).ok());  // replies
  f.h.RunFor(5_s);
  CHECK(results == std::vector<int64_t>{2, 4, 6});
  CHECK(f.h.cluster.rpc_stats().late_responses == 3);
  CHECK(f.handled == 3);

  RpcFixture g([&](Env& env) { REQUIRE(env.Call<Num>(NodeId(0), "double", N(1), 1_s).ok()); });
  REQUIRE(g.h.world.faults().SetLink(NodeId(1), NodeId(0), dup).ok());  // requests
  g.h.RunFor(5_s);
  CHECK(g.handled == 2);  // at-least-once: the service must be idempotent
}

TEST_CASE("Errors: unknown method, handler error, missing node", "[rpc][bad-input]") {
  Result<std::string> unknown = std::string();
  Result<Num> refused = N(0);
  Result<Num> nowhere = N(0);
  RpcFixture f([&](Env& env) {
    unknown = env.CallRaw(NodeId(0), "triple", "", 1_s);
    refused = env.Call<Num>(NodeId(0), "double", N(-1), 1_s);
    nowhere = env.Call<Num>(NodeId(7), "double", N(1), 1_s);
  });
  f.h.RunFor(5_s);
  CHECK(unknown.code() == Error::kUnreachable);
  CHECK(unknown.status().message() == "n1 does not serve 'triple'");
  CHECK(refused.code() == Error::kNotFound);
  CHECK(refused.status().message() == "negative numbers are not served");
  CHECK(nowhere.code() == Error::kInvalidArgument);
}

TEST_CASE("A caller that crashes mid-call restarts with a clean slate", "[rpc][lifecycle]") {
  int boots = 0;
  Result<Num> second_life = Status(Error::kTimeout, "not run");
  RpcFixture f([&](Env& env) {
    if (++boots == 1) {
      (void)env.Call<Num>(NodeId(0), "double", N(1), 10_s);  // crashed during this
      FAIL("returned from a call across a crash");
    }
    second_life = env.Call<Num>(NodeId(0), "double", N(4), 1_s);
  }, /*handler_delay=*/300_ms);
  f.h.At(100_ms, [&] { REQUIRE(f.h.world.faults().Crash(NodeId(1)).ok()); });
  f.h.At(200_ms, [&] { REQUIRE(f.h.world.faults().Restart(NodeId(1)).ok()); });
  f.h.RunFor(5_s);
  CHECK(boots == 2);
  REQUIRE(second_life.ok());
  CHECK(second_life->v() == 8);
  // The first life's reply arrived at ~302ms and matched nothing.
  CHECK(f.h.cluster.rpc_stats().late_responses == 1);
}

}  // namespace
}  // namespace faultline
