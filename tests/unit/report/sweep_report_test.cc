// The pure parts of a sweep (sim/report/sweep_report.h, sweep_stats.h,
// compare_table.h): classification and signatures of real runs, grouping,
// shards, latency buckets, fault windows, JUnit escaping.
#include <catch2/catch.hpp>

#include "sim/cli/models.h"
#include "sim/core/strings.h"
#include "sim/report/compare_table.h"
#include "sim/report/sweep_report.h"
#include "sim/report/sweep_stats.h"
#include "sim/scenario/api.h"

namespace faultline::report {
namespace {

std::string Path(const std::string& rel) { return std::string(FAULTLINE_SOURCE_DIR) + "/" + rel; }

scenario::RunResult Run(const std::string& file, std::vector<std::string> sets, uint64_t seed) {
  scenario::LoadOptions o;
  o.overrides = std::move(sets);
  o.seed = seed;
  Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(Path(file), cli::Models(), o);
  REQUIRE(spec.ok());
  Result<scenario::RunResult> r = scenario::RunScenario(*spec, cli::Models(), scenario::RunOptions{seed, false});
  REQUIRE(r.ok());
  return std::move(*r);
}

SeedResult Synthetic(uint64_t seed, const std::string& status, const std::string& check, std::vector<std::string> kinds) {
  SeedResult r;
  r.set_seed(seed);
  r.set_status(status);
  FailedCheck* c = r.add_checks();
  c->set_name(check);
  c->set_verdict(status == "unknown" ? "unknown" : "violation");
  c->set_message(Cat(check, " failed in seed ", seed));
  for (const std::string& k : kinds) c->add_op_kinds(k);
  r.set_signature(Signature(r));
  return r;
}

TEST_CASE("A passing run and a run with a planted bug are told apart, with a signature naming check and operations") {
  SeedResult ok = SeedResultOf(Run("scenarios/kit/raft-partition.lua", {}, 1), 1.0);
  CHECK(ok.status() == "pass");
  CHECK(ok.signature().empty());
  CHECK(ok.checks().empty());
  CHECK(ok.ops() > 100);
  CHECK(ok.fault_ns() == 2'000'000'000);  // isolate(leader()) from 1 s, lasting 2 s
  REQUIRE(!ok.kinds().empty());
  for (const KindStats& k : ok.kinds()) {
    CHECK(k.during_faults() > 0);
    CHECK(k.during_faults_ok() <= k.during_faults());
    uint64_t counted = 0;
    for (const Bucket& b : k.latency()) counted += b.count();
    CHECK(counted == k.ok());
  }

  // lww under a partition loses writes and is not linearizable; the
  // scenario expects exactly that, so those seeds are "expected".
  SeedResult lww = SeedResultOf(Run("scenarios/kit/lww-wall-partition.lua", {}, 1), 1.0);
  CHECK(lww.status() == "expected");
  CHECK(lww.signature().empty());

  // A planted bug the scenario does not expect: a failure whose signature
  // names the checks and the operation kinds their evidence points at.
  SeedResult bug = SeedResultOf(Run("scenarios/kit/crdt-partition.lua", {"bug=crdt_merge_not_idempotent"}, 1), 1.0);
  REQUIRE(bug.status() == "fail");
  CHECK(bug.exit_code() == 1);
  CHECK(bug.signature() == "crdt_merge[incr] + converges");
  REQUIRE(bug.checks_size() == 2);
  CHECK(bug.checks(0).op_kinds_size() == 1);
  CHECK(!bug.checks(0).evidence().empty());
  CHECK(bug.checks(1).liveness());
}

TEST_CASE("Failures are grouped by signature, most seeds first, each with its smallest seed") {
  SweepInfo info;
  info.set_scenario("scenarios/kit/x.lua");
  info.set_name("x");
  info.set_first_seed(1);
  info.set_last_seed(8);
  std::vector<SeedResult> results;
  for (uint64_t s : {1, 2, 5, 8}) {
    SeedResult r;
    r.set_seed(s);
    r.set_status("pass");
    results.push_back(r);
  }
  results.push_back(Synthetic(3, "fail", "linearizable", {"read", "write"}));
  results.push_back(Synthetic(7, "fail", "linearizable", {"read", "write"}));
  results.push_back(Synthetic(6, "fail", "linearizable", {"cas"}));
  results.push_back(WorkerFailure(4, "crash", "killed by signal 6 (Aborted): assertion failed at 0x7ffd1234 raft.cc:88", 5));
  std::sort(results.begin(), results.end(), [](const SeedResult& a, const SeedResult& b) { return a.seed() < b.seed(); });
  std::vector<uint64_t> planned = ShardSeeds(1, 9, 0, 1);  // seed 9 never ran
  SweepSummary s = Summarize(info, results, planned);
  CHECK(s.seeds_run() == 8);
  CHECK(s.pass() == 4);
  CHECK(s.fail() == 3);
  CHECK(s.crash() == 1);
  CHECK_FALSE(s.complete());
  REQUIRE(s.missing_seeds_size() == 1);
  CHECK(s.missing_seeds(0) == 9);
  REQUIRE(s.groups_size() == 3);
  CHECK(s.groups(0).signature() == "linearizable[read,write]");
  CHECK(s.groups(0).count() == 2);
  CHECK(s.groups(0).smallest_seed() == 3);
  CHECK(s.groups(0).reproduce() == "faultline run scenarios/kit/x.lua --seed 3");
  // Equal counts: the smaller seed first.
  CHECK(s.groups(1).smallest_seed() == 4);
  CHECK(s.groups(1).signature() == "crash: killed by signal 6 (Aborted): assertion failed at 0x_ raft.cc:88");
  CHECK(s.groups(2).signature() == "linearizable[cas]");
  CHECK(s.exit_code() == 70);  // a crash outranks the safety failures

  const std::string text = SummaryText(s);
  CHECK(text.find("INCOMPLETE") != std::string::npos);
  CHECK(text.find("reproduce  faultline run scenarios/kit/x.lua --seed 3") != std::string::npos);
}

TEST_CASE("The sweep's exit code: safety over liveness over unknown, expected failures do not count") {
  SweepInfo info;
  auto code = [&info](std::vector<SeedResult> rs) {
    return Summarize(info, rs, {}).exit_code();
  };
  SeedResult live = Synthetic(1, "fail", "converges", {});
  live.mutable_checks(0)->set_liveness(true);
  SeedResult safety = Synthetic(2, "fail", "linearizable", {"read"});
  SeedResult unknown = Synthetic(3, "unknown", "linearizable", {});
  SeedResult expected = Synthetic(4, "expected", "split_brain", {});
  expected.mutable_checks(0)->set_expected(true);
  CHECK(code({expected}) == 0);
  CHECK(code({unknown, expected}) == 5);
  CHECK(code({live, unknown}) == 4);
  CHECK(code({live, safety, unknown}) == 1);
}

TEST_CASE("Shards partition the seeds: disjoint, and together every seed once") {
  for (uint32_t k : {1u, 2u, 3u, 7u}) {
    std::vector<uint64_t> all;
    for (uint32_t i = 0; i < k; ++i) {
      for (uint64_t s : ShardSeeds(10, 40, i, k)) {
        CHECK(s % k == i);
        all.push_back(s);
      }
    }
    std::sort(all.begin(), all.end());
    CHECK(all == ShardSeeds(10, 40, 0, 1));
    CHECK(all.size() == 31);
  }
  CHECK(ShardSeeds(UINT64_MAX, UINT64_MAX, 0, 1).size() == 1);  // no wrap at the top
}

TEST_CASE("Latency buckets are ordered and at most about 3% wide, pooled quantiles land in the right bucket") {
  int64_t previous = -1;
  for (uint32_t b = 0; b < 1500; ++b) {
    const int64_t lo = BucketLowerBound(b);
    CHECK(lo > previous);
    CHECK(LatencyBucket(lo) == b);
    CHECK(LatencyBucket(BucketLowerBound(b + 1) - 1) == b);
    if (lo >= 32) CHECK(static_cast<double>(BucketLowerBound(b + 1) - lo) / static_cast<double>(lo) <= 1.0 / 32 + 1e-9);
    previous = lo;
  }
  google::protobuf::RepeatedPtrField<Bucket> a, b;
  for (int64_t v : {1'000'000, 2'000'000, 3'000'000}) {
    Bucket* x = a.Add();
    x->set_index(LatencyBucket(v));
    x->set_count(1);
  }
  Bucket* y = b.Add();
  y->set_index(LatencyBucket(50'000'000));
  y->set_count(1);
  std::vector<Bucket> pooled;
  AddBuckets(&pooled, a);
  AddBuckets(&pooled, b);
  CHECK(Quantile(pooled, 0.5) == BucketLowerBound(LatencyBucket(2'000'000)));
  CHECK(Quantile(pooled, 0.99) == BucketLowerBound(LatencyBucket(3'000'000)));  // element floor(3 * 0.99) = 2
  CHECK(Quantile(pooled, 1.0) == BucketLowerBound(LatencyBucket(50'000'000)));
  CHECK(Quantile({}, 0.5) == 0);
}

TEST_CASE("Fault windows: lasting, undone by a later heal or restart, or held to the final heal, merged") {
  scenario::RunResult run;
  run.heal_ns = 10'000'000'000;
  auto at = [](int64_t ms, std::string kind, std::string node, std::optional<int64_t> lasting_ms) {
    scenario::Scheduled s;
    s.at = Duration::Millis(ms);
    s.fault.kind = std::move(kind);
    if (!node.empty()) s.fault.nodes = {scenario::NodeRef{node, ""}};
    if (lasting_ms) s.lasting = Duration::Millis(*lasting_ms);
    return s;
  };
  run.plan = {at(1000, "partition.halves", "", std::nullopt), at(1500, "crash", "r1", 200), at(2000, "heal", "", std::nullopt),
              at(3000, "crash", "r2", std::nullopt),          at(3500, "restart", "r3", std::nullopt),
              at(4000, "restart", "r2", std::nullopt),        at(5000, "clock.jump", "r1", std::nullopt),
              at(9000, "clock.skew", "r1", std::nullopt)};
  std::vector<Interval> w = FaultWindows(run);
  REQUIRE(w.size() == 3);
  CHECK((w[0].begin == 1'000'000'000 && w[0].end == 2'000'000'000));
  CHECK((w[1].begin == 3'000'000'000 && w[1].end == 4'000'000'000));  // r3's restart does not undo r2's crash
  CHECK((w[2].begin == 9'000'000'000 && w[2].end == 10'000'000'000));

  // A fault that found no target (an lww registry has no primary) was never in force.
  run.plan_skipped.assign(run.plan.size(), false);
  run.plan_skipped[7] = true;
  w = FaultWindows(run);
  REQUIRE(w.size() == 2);
  CHECK(w[1].end == 4'000'000'000);
}

TEST_CASE("JUnit XML escapes what a check message may hold and counts failures and errors") {
  SweepInfo info;
  info.set_scenario("scenarios/a b.lua");
  info.set_name("a<b>");
  info.add_sets("mode=lease");
  SeedResult pass;
  pass.set_seed(1);
  pass.set_status("pass");
  SeedResult fail = Synthetic(2, "fail", "linearizable", {"read"});
  fail.mutable_checks(0)->set_message("value \"x\" & <y> \x01 gone");
  fail.set_run_dir("failures/seed-2");
  SeedResult crash = WorkerFailure(3, "timeout", "ran past the per-seed time limit and was killed", 100);
  const std::string x = JUnitXml(info, {pass, fail, crash});
  CHECK(x.find("tests=\"3\" failures=\"1\" errors=\"1\"") != std::string::npos);
  CHECK(x.find("value &quot;x&quot; &amp; &lt;y&gt;  gone") != std::string::npos);
  CHECK(x.find('\x01') == std::string::npos);
  CHECK(x.find("name=\"a&lt;b&gt; mode=lease\"") != std::string::npos);
  CHECK(x.find("reproduce: faultline run &apos;scenarios/a b.lua&apos; --seed 2 --set mode=lease") != std::string::npos);
  CHECK(x.find("<error message=\"timeout: ") != std::string::npos);
  CHECK(x.find("<testcase name=\"seed 1\" classname=\"faultline.a_b\" time=\"0.000\"/>") != std::string::npos);
}

TEST_CASE("A results line that is not a SeedResult is an error naming the file and line") {
  SeedResult r;
  Status s = ParseJsonLine("{\"seed\": \"many\"}", "out/results.jsonl", 7, &r);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("out/results.jsonl:7: expected a SeedResult") != std::string::npos);
  SeedResult back;
  SeedResult orig = Synthetic(9, "fail", "converges", {"put"});
  REQUIRE(ParseJsonLine(JsonLine(orig), "f", 1, &back).ok());
  CHECK(JsonLine(back) == JsonLine(orig));
  CHECK(back.checks(0).op_kinds(0) == "put");
}

TEST_CASE("results.jsonl reads line by line, a bad status, a non-finite wall time or a repeated seed names its line") {
  const std::string a = JsonLine(Synthetic(1, "fail", "converges", {"put"}));
  const std::string b = JsonLine(Synthetic(2, "pass", "", {}));
  Result<std::vector<SeedResult>> ok = ParseSeedResults(Cat(a, "\n\n", b, "\n"), "r.jsonl");
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 2);
  CHECK((*ok)[1].seed() == 2);
  struct Case {
    std::string text, message;
  };
  for (const Case& c : {Case{Cat(a, "\n{\"seed\":\"3\",\"status\":\"bogus\"}\n"), "r.jsonl:2: status \"bogus\" (expected one of pass, expected, fail"},
                        Case{"{\"seed\":\"3\",\"status\":\"pass\",\"wall_ms\":\"NaN\"}", "r.jsonl:1: wall_ms nan (expected a non-negative number)"},
                        Case{"{\"seed\":\"3\",\"status\":\"pass\",\"wall_ms\":-1}", "r.jsonl:1: wall_ms -1"},
                        Case{Cat(a, "\n", b, "\n", a), "r.jsonl:3: seed 1 again (first on line 1)"},
                        Case{Cat(a, "\n{\"seed\":"), "r.jsonl:2: expected a SeedResult"}}) {
    INFO(c.text);
    Result<std::vector<SeedResult>> r = ParseSeedResults(c.text, "r.jsonl");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find(c.message) != std::string::npos);
  }
}

TEST_CASE("A crashed worker's stderr that is not UTF-8 still makes valid JSON and XML") {
  const SeedResult r = WorkerFailure(4, "crash", "assertion failed \xff\xfe at <x> \xed\xa0\x80 \xef\xbf\xbf", 1);
  CHECK(r.worker_error() == "assertion failed \xef\xbf\xbd\xef\xbf\xbd at <x> \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbf");
  Result<std::vector<SeedResult>> back = ParseSeedResults(JsonLine(r), "r.jsonl");
  REQUIRE(back.ok());
  CHECK((*back)[0].worker_error() == r.worker_error());
  const std::string x = JUnitXml(SweepInfo(), *back);
  CHECK(x.find("\xef\xbf\xbf") == std::string::npos);  // U+FFFF is not an XML character
  CHECK(x.find("at &lt;x&gt; \xef\xbf\xbd") != std::string::npos);
}

}  // namespace
}  // namespace faultline::report
