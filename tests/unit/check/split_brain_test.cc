#include <catch2/catch.hpp>

#include "sim/check/split_brain.h"
#include "sim/history/recorder.h"

namespace faultline {
namespace {

constexpr int64_t kMs = 1'000'000;

StatesAt At(int64_t ms, std::string r1, std::string r2) {
  return StatesAt{ms * kMs, {ReplicaState{"r1", r1, r1 != "down", {}}, ReplicaState{"r2", r2, r2 != "down", {}}}};
}

TEST_CASE("Split brain: role spans from samples", "[check][split-brain]") {
  std::vector<RoleSpan> s = RoleSpans({At(0, "leader", "follower"), At(100, "leader", "leader"),
                                       At(200, "down", "leader"), At(300, "follower", "leader")});
  REQUIRE(s.size() == 4);
  CHECK((s[0].node == "r1" && s[0].role == "leader" && s[0].from_ns == 0 && s[0].to_ns == 200 * kMs));
  CHECK((s[1].node == "r2" && s[1].role == "follower" && s[1].to_ns == 100 * kMs));
  CHECK((s[2].node == "r2" && s[2].role == "leader" && s[2].from_ns == 100 * kMs && s[2].to_ns == 300 * kMs));
  CHECK((s[3].node == "r1" && s[3].role == "follower" && s[3].from_ns == 300 * kMs));
}

TEST_CASE("Split brain: both leaders acknowledging writes in the overlap", "[check][split-brain]") {
  const std::vector<RoleSpan> spans = {{"r1", "leader", 0, 300 * kMs}, {"r2", "leader", 200 * kMs, 500 * kMs}};
  auto run = [&](int64_t r2_ack_ms) {
    HistoryRecorder rec("h");
    rec.Invoke(0, "write", std::string("k"), Value::String("a"), 240 * kMs);
    rec.Complete(0, OpType::kOk, Value::String("a"), 250 * kMs, "r1");
    rec.Invoke(1, "write", std::string("k"), Value::String("b"), r2_ack_ms * kMs - kMs);
    rec.Complete(1, OpType::kOk, Value::String("b"), r2_ack_ms * kMs, "r2");
    History h = rec.Take();
    Result<std::vector<Operation>> ops = PairOperations(h);
    REQUIRE(ops.ok());
    return CheckSplitBrain(spans, h, *ops);
  };
  SplitBrainResult r = run(260);
  REQUIRE(r.verdict == Verdict::kViolation);
  REQUIRE(r.found.size() == 1);
  CHECK(r.found[0].a == "r1");
  CHECK(r.found[0].b == "r2");
  CHECK(r.found[0].from_ns == 200 * kMs);
  CHECK(r.found[0].to_ns == 300 * kMs);
  CHECK(r.found[0].write_a == 0);
  CHECK(r.found[0].write_b == 1);
  // r2's write after r1 stepped down: two leaders overlapped, but only one
  // accepted writes while they did.
  CHECK(run(350).verdict == Verdict::kOk);
  // A reply that arrives inside the overlap for a write invoked before it
  // proves nothing about when the write was accepted.
  HistoryRecorder rec("h");
  rec.Invoke(0, "write", std::string("k"), Value::String("a"), 150 * kMs);
  rec.Complete(0, OpType::kOk, Value::String("a"), 250 * kMs, "r1");
  rec.Invoke(1, "write", std::string("k"), Value::String("b"), 255 * kMs);
  rec.Complete(1, OpType::kOk, Value::String("b"), 260 * kMs, "r2");
  History h = rec.Take();
  Result<std::vector<Operation>> ops = PairOperations(h);
  REQUIRE(ops.ok());
  CHECK(CheckSplitBrain(spans, h, *ops).verdict == Verdict::kOk);
}

}  // namespace
}  // namespace faultline
