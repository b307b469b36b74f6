// Fuzzes the scenario loader (sim/scenario): whatever the text, loading
// returns a spec or a kInvalidArgument error naming the file, within small instruction and memory budgets; a spec it accepts
// writes back as repro.lua that loads to the same faults, checks and
// expectations.
#include <string>
#include <string_view>

#include "sim/cli/models.h"
#include "sim/scenario/api.h"
#include "sim/scenario/repro.h"
#include "tests/fuzz/fuzz_target.h"

namespace faultline {

FAULTLINE_FUZZ_TARGET(FuzzScenario) {
  using namespace scenario;
  const std::string text(reinterpret_cast<const char*>(data), size);
  LoadOptions o;
  o.limits.instructions = 1'000'000;
  o.limits.memory_bytes = 16 << 20;
  Result<ScenarioSpec> spec = LoadScenarioSource("fuzz.lua", text, cli::Models(), o);
  if (!spec.ok()) {
    const std::string& m = spec.status().message();
    FUZZ_CHECK(spec.code() == Error::kInvalidArgument);
    FUZZ_CHECK(m.rfind("fuzz.lua", 0) == 0);  // every message names the file
    return 0;
  }
  RunResult as_run;
  as_run.spec = *spec;
  as_run.seed = 1;
  as_run.plan = spec->schedule;
  Result<ScenarioSpec> again = LoadScenarioSource("repro.lua", WriteRepro(as_run), cli::Models(), {});
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->schedule.size() == spec->schedule.size());
  for (size_t i = 0; i < spec->schedule.size(); ++i) {
    FUZZ_CHECK(again->schedule[i].at == spec->schedule[i].at);
    FUZZ_CHECK(again->schedule[i].fault.Lua() == spec->schedule[i].fault.Lua());
    FUZZ_CHECK(again->schedule[i].lasting == spec->schedule[i].lasting);
  }
  FUZZ_CHECK(again->checks.size() == spec->checks.size() && again->expect == spec->expect);
  FUZZ_CHECK(again->params == spec->params && again->nodes == spec->nodes && again->duration == spec->duration);
  FUZZ_CHECK(again->regions == spec->regions && (spec->regions.empty() || again->region_latency == spec->region_latency));
  return 0;
}

}  // namespace faultline
