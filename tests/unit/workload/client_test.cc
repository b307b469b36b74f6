#include <catch2/catch.hpp>

#include "sim/history/history.h"
#include "sim/workload/client.h"
#include "tests/unit/node/test_messages.pb.h"
#include "tests/unit/testing.h"

namespace faultline {
namespace {

using testing::Harness;
using namespace literals;
using test::Num;

// The server's behaviour per attempt number: answer, reject (an error the
// client maps to kRejected), or stay silent past the client's 100 ms
// attempt timeout.
enum class Reply { kAnswer, kReject, kSilent };

struct Run {
  std::vector<uint64_t> tokens;  // as the server saw them
  HistoryRecorder history{"client"};
  std::vector<Client::Done> done;
  int64_t process_after = -1;
};

// One client operation against a scripted server; `serve` false means the
// server does not serve the method at all (kUnreachable: certainly not applied).
Run RunOne(std::vector<Reply> script, bool serve = true) {
  Harness h;
  Run run;
  NodeId server = h.Add([&, script, serve](Env& env) {
    if (!serve) return;
    env.Handle<Num, Num>("op", [&, script](NodeId, const Num& req) -> Result<Num> {
      const size_t n = run.tokens.size();
      run.tokens.push_back(static_cast<uint64_t>(req.v()));
      const Reply r = n < script.size() ? script[n] : script.back();
      if (r == Reply::kSilent) {
        (void)env.Sleep(1_s);
        return Status(Error::kCrashed, "no reply");  // kCrashed: the server sends nothing
      }
      if (r == Reply::kReject) return Status(Error::kInvalidArgument, "precondition failed");
      Num out;
      out.set_v(42);
      return out;
    });
  });
  h.Add([&, server](Env& env) {
    Client client(env, run.history, /*process=*/3, /*stride=*/10, RetryPolicy{.deadline = 1_s});
    auto attempt = [&](int, uint64_t token, Duration remaining) -> Attempt {
      Num req;
      req.set_v(static_cast<int64_t>(token));
      Result<Num> r = env.Call<Num>(server, "op", req, std::min(remaining, 100_ms));
      if (r.ok()) return Attempt{Attempt::kOk, Value::Int(r->v()), "", env.name_of(server)};
      if (r.code() == Error::kInvalidArgument) return Attempt{Attempt::kRejected, Value(), r.status().message()};
      return Attempt{ClassifyRpcError(r.status()), Value(), r.status().message()};
    };
    Result<Client::Done> d = client.Run("write", std::string("k"), Value::Int(7), attempt);
    REQUIRE(d.ok());
    run.done.push_back(*d);
    run.process_after = client.process();
  });
  h.cluster.StartAll();
  h.RunFor(5_s);
  return run;
}

const Op& Completion(const Run& r) { return r.history.history().ops.at(1); }

TEST_CASE("Client: acknowledged is ok", "[workload][client]") {
  Run r = RunOne({Reply::kAnswer});
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].type == OpType::kOk);
  CHECK(r.done[0].value == Value::Int(42));
  CHECK(Completion(r).type == OpType::kOk);
  CHECK(Completion(r).node == "n1");  // who served it
  CHECK(r.history.history().ops.at(0).node.empty());  // not known at the invocation
  CHECK(r.process_after == 3);
}

TEST_CASE("Client: a lost reply, then an answer: ok, one token for every attempt", "[workload][client]") {
  Run r = RunOne({Reply::kSilent, Reply::kSilent, Reply::kAnswer});
  REQUIRE(r.done.size() == 1);
  CHECK(r.done[0].type == OpType::kOk);
  REQUIRE(r.tokens.size() == 3);
  CHECK(r.tokens[0] == r.tokens[1]);
  CHECK(r.tokens[1] == r.tokens[2]);
  CHECK(r.tokens[0] >> 32 == 3);  // the process is in the token
}

TEST_CASE("Client: rejected before anything could apply is fail, after, info", "[workload][client]") {
  Run rejected = RunOne({Reply::kReject});
  CHECK(rejected.done.at(0).type == OpType::kFail);
  CHECK(Completion(rejected).type == OpType::kFail);
  CHECK(Completion(rejected).value == Value::Int(7));  // a fail repeats the invocation's value
  CHECK(rejected.process_after == 3);

  Run late = RunOne({Reply::kSilent, Reply::kReject});
  CHECK(late.done.at(0).type == OpType::kInfo);
  CHECK(late.process_after == 13);  // a new process after an info
}

TEST_CASE("Client: silence until the deadline is info, never served is fail", "[workload][client]") {
  Run silent = RunOne({Reply::kSilent});
  CHECK(silent.done.at(0).type == OpType::kInfo);
  CHECK(silent.tokens.size() >= 3);  // it kept retrying, with backoff
  CHECK(Completion(silent).time_ns <= 1'000'000'000 + 1'000'000);  // ended at the deadline

  Run unserved = RunOne({Reply::kAnswer}, /*serve=*/false);
  CHECK(unserved.done.at(0).type == OpType::kFail);
  CHECK(unserved.tokens.empty());
  // And the history pairs: what the client records, the checkers accept.
  CHECK(PairOperations(unserved.history.history()).ok());
  CHECK(PairOperations(silent.history.history()).ok());
}

}  // namespace
}  // namespace faultline
