#include <catch2/catch.hpp>

#include "sim/check/lww_rule.h"
#include "sim/history/recorder.h"

namespace faultline {
namespace {

std::vector<Operation> Writes(HistoryRecorder& rec) {
  Result<std::vector<Operation>> ops = PairOperations(rec.history());
  REQUIRE(ops.ok());
  return *ops;
}

TEST_CASE("lww-rule: the greatest acknowledged version wins, anything else is reported", "[check][lww-rule]") {
  HistoryRecorder rec("lww");
  rec.Invoke(0, "write", std::string("k"), Value::String("a"), 0);
  rec.Complete(0, OpType::kOk, Value::String("a"), 1, "r1", "002");
  rec.Invoke(1, "write", std::string("k"), Value::String("b"), 2);
  rec.Complete(1, OpType::kOk, Value::String("b"), 3, "r2", "001");  // later in real time, smaller stamp
  rec.Invoke(2, "write", std::string("k"), Value::String("c"), 4);   // timed out: version unknown
  rec.Complete(2, OpType::kInfo, Value::String("c"), 5);
  const std::vector<Operation> ops = Writes(rec);
  auto held = [](std::string v, std::string version) {
    return ReplicaState{"r1", "peer", true, {{"k", std::move(v)}}, {{"k", std::move(version)}}};
  };
  CHECK(CheckLwwRule(ops, held("a", "002")).verdict == Verdict::kOk);  // b lost by the rule: fine here
  CHECK(CheckLwwRule(ops, held("c", "009")).verdict == Verdict::kOk);  // the unacknowledged write may have won
  LwwRuleResult r = CheckLwwRule(ops, held("b", "001"));
  REQUIRE(r.verdict == Verdict::kViolation);
  CHECK(r.problems[0].ops == std::vector<size_t>{0});  // a should have won
  CHECK(CheckLwwRule(ops, held("b", "002")).problems.at(0).why == "holds \"b\" at version 002, which wrote \"a\"");
  CHECK(CheckLwwRule(ops, held("zz", "009")).verdict == Verdict::kViolation);  // a phantom
}

}  // namespace
}  // namespace faultline
