#include <catch2/catch.hpp>

#include "sim/check/lost_writes.h"
#include "sim/history/formats.h"

namespace faultline {
namespace {

std::vector<Operation> Ops(std::string_view edn) {
  Result<History> h = ReadHistory(edn, "w.edn");
  REQUIRE(h.ok());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  return *ops;
}

TEST_CASE("Lost writes: overwritten later is fine, concurrent and earlier winners are reported", "[check][lost]") {
  // a then b, sequential: b legitimately replaces a.
  std::vector<Operation> seq = Ops(
      "{:process 0 :type :invoke :f :write :key \"k\" :value \"a\"}\n{:process 0 :type :ok :f :write :key \"k\" :value \"a\"}\n"
      "{:process 1 :type :invoke :f :write :key \"k\" :value \"b\"}\n{:process 1 :type :ok :f :write :key \"k\" :value \"b\"}\n");
  LostWritesResult r = CheckNoLostWrites(seq, {{"k", "b"}});
  CHECK(r.verdict == Verdict::kOk);
  CHECK(r.acknowledged == 2);
  // The same history ending with "a": b was lost to a write that finished
  // before b began (a causality violation, as skewed LWW does).
  r = CheckNoLostWrites(seq, {{"k", "a"}});
  REQUIRE(r.verdict == Verdict::kViolation);
  REQUIRE(r.lost.size() == 1);
  CHECK(r.lost[0].op == 1);
  CHECK(r.lost[0].how == LostWrite::kEarlier);
  CHECK(r.lost[0].winners == std::vector<size_t>{0});
  CHECK(r.message == "1 of 2 acknowledged writes lost (0 to concurrent writes, 1 to earlier ones, 0 vanished)");

  // Overlapping writes: the loser is lost to a concurrent write.
  std::vector<Operation> overlap = Ops(
      "{:process 0 :type :invoke :f :write :key \"k\" :value \"a\"}\n{:process 1 :type :invoke :f :write :key \"k\" :value \"b\"}\n"
      "{:process 0 :type :ok :f :write :key \"k\" :value \"a\"}\n{:process 1 :type :ok :f :write :key \"k\" :value \"b\"}\n");
  r = CheckNoLostWrites(overlap, {{"k", "a"}});
  REQUIRE(r.lost.size() == 1);
  CHECK(r.lost[0].how == LostWrite::kConcurrent);
  CHECK(r.verdict == Verdict::kOk);  // one of two concurrent writes is always last: reported, not a violation
}

TEST_CASE("Lost writes: a write overwritten by a later one, then by one concurrent with that", "[check][lost]") {
  // a [0,2], d [1,5], c [3,4]: d overlaps a, c follows a. The order a, c, d
  // is linearizable and ends with d, so a is not lost, although the write
  // that holds the key (d) does not follow it.
  std::vector<Operation> ops = Ops(
      "{:process 0 :type :invoke :f :write :key \"k\" :value \"a\"}\n"
      "{:process 2 :type :invoke :f :write :key \"k\" :value \"d\"}\n"
      "{:process 0 :type :ok :f :write :key \"k\" :value \"a\"}\n"
      "{:process 1 :type :invoke :f :write :key \"k\" :value \"c\"}\n{:process 1 :type :ok :f :write :key \"k\" :value \"c\"}\n"
      "{:process 2 :type :ok :f :write :key \"k\" :value \"d\"}\n");
  LostWritesResult r = CheckNoLostWrites(ops, {{"k", "d"}});
  CHECK(r.verdict == Verdict::kOk);
  REQUIRE(r.lost.size() == 1);  // only c, to the concurrent d: reported, not a violation
  CHECK(r.lost[0].op == 2);
  CHECK(r.lost[0].how == LostWrite::kConcurrent);
}

TEST_CASE("Lost writes: deletes, cas, info writes, vanished values and phantoms", "[check][lost]") {
  std::vector<Operation> ops = Ops(
      "{:process 0 :type :invoke :f :write :key \"k\" :value \"a\"}\n{:process 0 :type :ok :f :write :key \"k\" :value \"a\"}\n"
      "{:process 1 :type :invoke :f :cas :key \"k\" :value [\"a\" \"c\"]}\n{:process 1 :type :ok :f :cas :key \"k\" :value [\"a\" \"c\"]}\n"
      "{:process 2 :type :invoke :f :write :key \"k\" :value nil}\n"  // a delete that timed out
      "{:process 3 :type :invoke :f :write :key \"j\" :value \"x\"}\n{:process 3 :type :ok :f :write :key \"j\" :value \"x\"}\n");
  // The timed-out delete may have taken effect: k absent is fine.
  LostWritesResult r = CheckNoLostWrites(ops, {{"j", "x"}});
  CHECK(r.verdict == Verdict::kOk);
  CHECK(r.acknowledged == 3);
  // k holds the cas's value: fine; j absent with no delete of j: x vanished.
  r = CheckNoLostWrites(ops, {{"k", "c"}});
  REQUIRE(r.lost.size() == 1);
  CHECK(r.lost[0].key == "j");
  CHECK(r.lost[0].how == LostWrite::kVanished);
  // A value nobody wrote.
  r = CheckNoLostWrites(ops, {{"k", "c"}, {"j", "zzz"}});
  CHECK(r.phantoms == std::vector<std::string>{"j"});
  CHECK(r.verdict == Verdict::kViolation);
}

}  // namespace
}  // namespace faultline
