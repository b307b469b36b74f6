#include <catch2/catch.hpp>

#include "sim/check/crdt_merge.h"
#include "sim/history/recorder.h"

namespace faultline {
namespace {

// Sequential operations (each ends before the next starts); `info` leaves
// one without an answer.
struct Builder {
  HistoryRecorder rec{"crdt"};
  int64_t t = 0;
  int64_t process = 0;
  void Do(std::string key, std::string f, Value v, bool info = false) {
    rec.Invoke(process, f, key, v, t++);
    if (info) {
      rec.Complete(process, OpType::kInfo, v, t++);
      ++process;  // a new session after an info
    } else {
      rec.Complete(process, OpType::kOk, v, t++);
    }
  }
  std::vector<Operation> Ops() {
    Result<std::vector<Operation>> ops = PairOperations(rec.history());
    REQUIRE(ops.ok());
    return *ops;
  }
};

TEST_CASE("crdt-merge: counters are acknowledged increments plus some unacknowledged ones", "[check][crdt]") {
  Builder b;
  b.Do("ctr:a", "incr", Value::Int(3));
  b.Do("ctr:a", "incr", Value::Int(-1));
  b.Do("ctr:a", "incr", Value::Int(5), /*info=*/true);
  b.Do("ctr:a", "incr", Value::Int(10), /*info=*/true);
  const std::vector<Operation> ops = b.Ops();
  for (int64_t ok : {2, 7, 12, 17}) {
    CrdtFinal f;
    f.counters["ctr:a"] = ok;
    CHECK(CheckCrdtMerge(ops, f).verdict == Verdict::kOk);
  }
  for (int64_t bad : {0, 4, 9, 19, 34}) {  // 4: no subset; 34: counted twice
    CrdtFinal f;
    f.counters["ctr:a"] = bad;
    CrdtMergeResult r = CheckCrdtMerge(ops, f);
    REQUIRE(r.verdict == Verdict::kViolation);
    CHECK(r.problems[0].key == "ctr:a");
  }
}

TEST_CASE("crdt-merge: sets and registers keep what nothing could have undone, invent nothing", "[check][crdt]") {
  Builder b;
  b.Do("set:s", "add", Value::String("x"));
  b.Do("set:s", "add", Value::String("y"));
  b.Do("set:s", "remove", Value::String("y"));  // invoked after the add: may have removed it
  b.Do("reg:r", "write", Value::String("a"));
  b.Do("reg:r", "write", Value::String("b"));  // may have overwritten a
  const std::vector<Operation> ops = b.Ops();
  CrdtFinal good;
  good.sets["set:s"] = {"x"};
  good.registers["reg:r"] = {"a", "b"};  // siblings are allowed (concurrent at the replicas)
  CHECK(CheckCrdtMerge(ops, good).verdict == Verdict::kOk);
  CrdtFinal lost_x = good;
  lost_x.sets["set:s"] = {"y"};
  CrdtMergeResult r = CheckCrdtMerge(ops, lost_x);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].ops == std::vector<size_t>{0});
  CrdtFinal lost_b = good;
  lost_b.registers["reg:r"] = {"a"};  // nothing could have overwritten b
  CHECK(CheckCrdtMerge(ops, lost_b).verdict == Verdict::kViolation);
  CrdtFinal phantom = good;
  phantom.sets["set:s"] = {"x", "zz"};
  CHECK(CheckCrdtMerge(ops, phantom).problems.at(0).why == "holds \"zz\", which nothing added");
}

TEST_CASE("crdt-merge: a write invoked earlier but applied later may overwrite", "[check][crdt]") {
  // W2 is invoked first and never answered (a retry may land late); W1 is
  // acknowledged meanwhile. Ending with only W2 is possible.
  HistoryRecorder rec("crdt");
  rec.Invoke(0, "write", std::string("reg:r"), Value::String("w2"), 0);
  rec.Invoke(1, "write", std::string("reg:r"), Value::String("w1"), 1);
  rec.Complete(1, OpType::kOk, Value::String("w1"), 2);
  rec.Complete(0, OpType::kInfo, Value::String("w2"), 3);
  Result<std::vector<Operation>> ops = PairOperations(rec.history());
  REQUIRE(ops.ok());
  CrdtFinal f;
  f.registers["reg:r"] = {"w2"};
  CHECK(CheckCrdtMerge(*ops, f).verdict == Verdict::kOk);
}

}  // namespace
}  // namespace faultline
