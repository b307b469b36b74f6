#include <catch2/catch.hpp>

#include "sim/check/convergence.h"

namespace faultline {
namespace {

ReplicaState R(std::string node, absl::btree_map<std::string, std::string> values, bool up = true) {
  return ReplicaState{std::move(node), "peer", up, std::move(values)};
}

constexpr int64_t kMs = 1'000'000;

TEST_CASE("Convergence: agreeing within the bound is ok, the time is the first agreeing sample", "[check][converges]") {
  std::vector<StatesAt> s = {
      {0, {R("r1", {{"k", "a"}}), R("r2", {{"k", "b"}})}},     // before the heal: anything goes
      {100 * kMs, {R("r1", {{"k", "a"}}), R("r2", {})}},       // healed at 100 ms, still differs
      {150 * kMs, {R("r1", {{"k", "a"}}), R("r2", {{"k", "a"}}), R("r3", {}, /*up=*/false)}},
      {400 * kMs, {R("r1", {{"k", "a"}}), R("r2", {{"k", "a"}})}},
  };
  ConvergenceResult r = CheckConverges(s, 100 * kMs, 200 * kMs);
  CHECK(r.verdict == Verdict::kOk);
  CHECK(r.converged_ns == 150 * kMs);
  CHECK(r.message == "converged 50ms after the quiet point (bound 200ms)");
}

TEST_CASE("Convergence: still differing at the bound is a violation, with the keys and values", "[check][converges]") {
  std::vector<StatesAt> s = {
      {100 * kMs, {R("r1", {{"k", "a"}, {"j", "1"}}), R("r2", {{"k", "b"}, {"j", "1"}}), R("r3", {{"k", "a"}})}},
      {300 * kMs, {R("r1", {{"k", "a"}, {"j", "1"}}), R("r2", {{"k", "b"}, {"j", "1"}}), R("r3", {{"k", "a"}, {"j", "1"}})}},
      {500 * kMs, {R("r1", {{"k", "a"}}), R("r2", {{"k", "a"}}), R("r3", {{"k", "a"}})}},
  };
  ConvergenceResult r = CheckConverges(s, 100 * kMs, 200 * kMs);
  REQUIRE(r.verdict == Verdict::kViolation);
  CHECK(r.evidence_ns == 300 * kMs);
  REQUIRE(r.divergences.size() == 1);
  CHECK(r.divergences[0].key == "k");
  CHECK(r.divergences[0].held ==
        std::vector<std::pair<std::string, std::string>>{{"r1", "a"}, {"r2", "b"}, {"r3", "a"}});
  // Absent and present differ too.
  CHECK(Divergences(s[0]).size() == 2);
  CHECK(Divergences(s[0])[0].held[2] == std::pair<std::string, std::string>{"r3", "(absent)"});
  // Converging again later does not undo a late disagreement; a run that
  // ends before the bound cannot tell.
  CHECK(CheckConverges({s[0]}, 100 * kMs, 200 * kMs).verdict == Verdict::kUnknown);
}

}  // namespace
}  // namespace faultline
