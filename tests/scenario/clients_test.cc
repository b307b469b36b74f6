// Client process numbers (models/kit/kv_workload.h, FirstProcess): a
// client continues as process + stride after an info, and the process is
// its idempotency tokens' session (sim/workload/token.h, ADR 0014), so
// two clients must never share one. Scenarios allow up to 1,000 clients;
// the stride was a fixed 100, and with 150 clients client 0's second
// process was client 100's first: the history recorder stopped the run.
#include <catch2/catch.hpp>

#include <set>

#include "sim/cli/models.h"
#include "sim/scenario/api.h"
#include "sim/scenario/runner.h"

namespace faultline::scenario {
namespace {

TEST_CASE("scenario: more clients than the default process stride run, each process its own", "[scenario][clients]") {
  // The matching model numbers its clients the same way; its scenarios
  // rarely end an operation with info, so the kv model shows it. (Raft on
  // 10 keys: 150 clients on lease-nemesis's 2 keys make a history whose
  // linearizability check takes minutes.)
  for (const char* file : {"scenarios/kit/raft-nemesis.lua"}) {
    INFO(file);
    LoadOptions o;
    o.overrides = {"workload.clients=150", "duration=2s"};
    Result<ScenarioSpec> spec = LoadScenario(std::string(FAULTLINE_SOURCE_DIR) + "/" + file, cli::Models(), o);
    REQUIRE(spec.ok());
    Result<RunResult> r = RunScenario(*spec, cli::Models(), RunOptions{1, false});
    REQUIRE(r.ok());
    CHECK(r->info > 0);  // some clients moved on to a second process
    std::set<int64_t> first;  // each client's first process is its index
    for (const Op& op : r->history.ops) {
      if (!op.nemesis()) first.insert(op.process);
    }
    CHECK(first.size() >= 150);
    CHECK(*first.rbegin() >= 150);  // a second process, numbered past every client
  }
}

TEST_CASE("scenario: 100 clients on 2 keys end in a bounded check, undecided with its reason", "[scenario][clients][budget]") {
  // Lease under lease-nemesis's faults, 12x its clients: ~30 operations in
  // flight per key and long ones (timeouts) make a linearizability search
  // no checker finishes; before budgets in `run` it took minutes and GBs.
  const std::string source = R"(
local s = scenario {
  name = "many clients", model = "kv", nodes = 5, duration = "6s", quiesce = "3s",
  params = { mode = "lease" }, workload = { clients = 100, keys = 2, think = "20ms" },
}
s:nemesis { kinds = { "partition", "kill", "pause" }, every = "200ms..600ms", lasting = "100ms..800ms", from = "500ms" }
s:check("linearizable", { steps = 2000000 })
s:check("split_brain")
return s
)";
  Result<ScenarioSpec> spec = LoadScenarioSource("many.lua", source, cli::Models(), LoadOptions{});
  REQUIRE(spec.ok());
  Result<RunResult> r = RunScenario(*spec, cli::Models(), RunOptions{1, false});
  REQUIRE(r.ok());
  REQUIRE(r->checks.size() == 2);
  const CheckOutcome& lin = r->checks[0];
  INFO(lin.message);
  CHECK(lin.verdict == Verdict::kUnknown);
  CHECK(lin.message.find("search budget spent, ") == 0);
  CHECK(lin.message.find("(step budget after ") != std::string::npos);
  CHECK(r->checks[1].verdict == Verdict::kOk);
  CHECK(r->exit_code == 5);
}

}  // namespace
}  // namespace faultline::scenario
