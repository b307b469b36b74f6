#include <catch2/catch.hpp>

#include "sim/check/session.h"
#include "sim/core/strings.h"
#include "sim/history/formats.h"

namespace faultline {
namespace {

using G = SessionViolation;

// "p op value" lines, each one operation that completes before the next
// starts: "1 w x" = process 1 writes "x"; "0 r x" = process 0 reads "x"
// ("nil" for nothing); "1 d" deletes.
SessionResult Check(std::vector<std::string> steps) {
  std::string edn;
  for (const std::string& s : steps) {
    const std::string p = s.substr(0, s.find(' '));
    const char op = s[p.size() + 1];
    const std::string v = s.size() > p.size() + 3 ? s.substr(p.size() + 3) : "";
    const std::string val = v.empty() || v == "nil" ? "nil" : Cat("\"", v, "\"");
    const std::string f = op == 'r' ? "read" : "write";
    Append(&edn, "{:process ", p, " :type :invoke :f :", f, " :key \"k\" :value ", op == 'r' ? "nil" : val, "}\n");
    Append(&edn, "{:process ", p, " :type :ok :f :", f, " :key \"k\" :value ", val, "}\n");
  }
  Result<History> h = ReadHistory(edn, "s.edn");
  REQUIRE(h.ok());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  return CheckSessions(*ops);
}

TEST_CASE("Sessions: a consistent history has no violations", "[check][session]") {
  SessionResult r = Check({"1 w x", "0 r x", "0 w a", "0 r a", "1 r a", "1 w y", "0 r y", "1 d", "0 r nil"});
  CHECK(r.verdict == Verdict::kOk);
  CHECK(r.message == "0 read-your-writes, 0 monotonic-reads, 0 monotonic-writes, 0 writes-follow-reads violation(s)");
}

TEST_CASE("Sessions: read-your-writes", "[check][session]") {
  SessionResult r = Check({"1 w x", "0 w a", "0 r x"});
  REQUIRE(r.Count(G::kReadYourWrites) == 1);
  CHECK(r.violations[0].process == 0);
  CHECK(r.violations[0].key == "k");
  CHECK(r.violations[0].ops == std::vector<size_t>{2, 1, 0});
  CHECK(Check({"0 w a", "0 r nil"}).Count(G::kReadYourWrites) == 1);  // nothing deleted it
  CHECK(Check({"0 w a", "1 d", "0 r nil"}).verdict == Verdict::kOk);  // a later delete explains nil
}

TEST_CASE("Sessions: monotonic reads and writes", "[check][session]") {
  SessionResult r = Check({"1 w x", "1 w y", "0 r y", "0 r x"});
  CHECK(r.Count(G::kMonotonicReads) == 1);
  CHECK(r.Count(G::kMonotonicWrites) == 1);  // both by process 1, seen out of order
  // Going back to another process's older write breaks monotonic reads only.
  r = Check({"2 w x", "1 w y", "0 r y", "0 r x"});
  CHECK(r.Count(G::kMonotonicReads) == 1);
  CHECK(r.Count(G::kMonotonicWrites) == 0);
}

TEST_CASE("Sessions: writes-follow-reads", "[check][session]") {
  // 2 reads y (after x) and then writes w; 0 sees w, then x: older than
  // what w's writer had read.
  SessionResult r = Check({"1 w x", "1 w y", "2 r y", "2 w w", "0 r w", "0 r x"});
  CHECK(r.Count(G::kWritesFollowReads) == 1);
  CHECK(r.Count(G::kMonotonicReads) == 1);
  CHECK(r.verdict == Verdict::kViolation);
}

}  // namespace
}  // namespace faultline
