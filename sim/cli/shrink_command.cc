// `faultline shrink DIR|REPRO.lua` (design §10, issue 7): the failing run
// made small enough to read, with the same failure signature, written as
// shrunk.lua beside it (sim/scenario/shrink.h). Every candidate runs in
// its own worker process, so a crashing failure shrinks too. Exit 0 when
// shrunk.lua is written and fails as the original did; 2 for bad input or
// a run that does not fail; 130 when interrupted (the smallest failing
// scenario found so far is still written).
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/cli/models.h"
#include "sim/cli/progress.h"
#include "sim/cli/repro_file.h"
#include "sim/cli/sweep.h"
#include "sim/cli/workers.h"
#include "sim/core/strings.h"
#include "sim/scenario/api.h"
#include "sim/scenario/repro.h"
#include "sim/scenario/shrink.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

int Fail(const Status& s) { return FailBadInput("shrink", s); }

std::string Size(const scenario::ScenarioSpec& s, const report::SeedResult& r) {
  return Cat(s.schedule.size(), " faults, ", r.ops(), " operations, ", s.nodes, " nodes, ", s.workload.clients, " clients, ",
             FormatDuration(s.duration), " + ", FormatDuration(s.quiesce), " virtual");
}

}  // namespace

int ShrinkCommand(const std::vector<std::string>& args) {
  Flags flags;
  flags.Declare("budget", "runs to spend at most", "200");
  flags.Declare("out", "where shrunk.lua goes (default: beside the repro)", "");
  flags.Declare("seed", "the seed, for a scenario without the header faultline run writes", "");
  flags.Declare("timeout", "per-run wall-time limit", "10m");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline shrink DIR|REPRO.lua [--budget N] [--out FILE]\n"
                  "Drops, shortens and delays faults, then removes nodes, clients, operations and time, keeping the failure's signature.\n%s",
                  flags.Help().c_str());
      return kExitOk;
    }
  }
  if (Status s = flags.Parse(args); !s.ok()) return Fail(s);
  if (flags.positional().size() != 1) return Fail(InvalidArgument("expected a run directory or a repro.lua: faultline shrink DIR|REPRO.lua"));
  Result<cli::ReproFile> file = cli::ReadReproFile(flags.positional()[0]);
  if (!file.ok()) return Fail(file.status());
  Result<uint64_t> budget = flags.GetUint("budget");
  if (!budget.ok()) return Fail(budget.status());
  if (*budget < 1 || *budget > 100'000) return Fail(InvalidArgument(Cat("--budget: expected 1..100000, got ", *budget)));
  Result<Duration> timeout = flags.GetDuration("timeout");
  if (!timeout.ok()) return Fail(timeout.status());
  uint64_t seed = file->header ? file->header->seed : 0;
  if (flags.WasSet("seed")) {
    Result<uint64_t> s = flags.GetUint("seed");
    if (!s.ok()) return Fail(s.status());
    seed = *s;
  } else if (!file->header_error.ok()) {
    return Fail(InvalidArgument(Cat(file->header_error.message(), "; or pass --seed N")));
  } else if (!file->header) {
    return Fail(InvalidArgument(Cat(file->path, ": no \"-- faultline: seed=N ...\" line; pass --seed N")));
  }
  scenario::LoadOptions lo;
  lo.seed = seed;
  Result<scenario::ScenarioSpec> loaded = scenario::LoadScenarioSource(file->path, file->text, cli::Models(), lo);
  if (!loaded.ok()) return Fail(loaded.status());
  const scenario::ModelEntry* model = cli::Models().Find(loaded->model);
  const scenario::ScenarioSpec start = scenario::WithExplicitPlan(*loaded, *model, seed);
  const double limit_ms = static_cast<double>(timeout->nanos()) / 1e6;

  cli::InstallInterruptHandler();
  const double began = cli::NowMs();
  const report::SeedResult before = cli::RunIsolated(start, seed, limit_ms);
  if (before.status() == "pass" || before.status() == "expected") {
    return Fail(InvalidArgument(Cat(file->path, " with seed ", seed, " does not fail (", before.status(), "): nothing to shrink")));
  }
  std::printf("shrinking    %s, seed %" PRIu64 "\nsignature    %s: %s\nbefore       %s\n", file->path.c_str(), seed, before.status().c_str(),
              before.signature().c_str(), Size(start, before).c_str());
  std::fflush(stdout);

  scenario::ShrinkOptions o;
  o.budget = static_cast<int>(*budget);
  o.min_nodes = model->min_nodes;
  o.server_names = [model](const scenario::ScenarioSpec& s) { return scenario::ServerNames(*model, s); };
  scenario::ShrinkStats stats;
  const bool terminal = cli::StderrIsTerminal();
  const scenario::Interesting interesting = [&](const scenario::ScenarioSpec& c) {
    if (cli::Interrupted()) return false;
    const report::SeedResult r = cli::RunIsolated(c, seed, limit_ms);
    const bool same = r.status() == before.status() && r.signature() == before.signature();
    if (terminal) std::fprintf(stderr, "\r\033[Krun %d: %s", stats.runs, same ? "still fails the same way" : "does not");
    return same;
  };
  const scenario::ScenarioSpec best = scenario::Shrink(start, interesting, o, &stats);
  if (terminal) std::fprintf(stderr, "\r\033[K");

  const std::string out = flags.WasSet("out") ? flags.Get("out") : (fs::path(file->path).parent_path() / "shrunk.lua").string();
  std::vector<std::string> notes = {Cat("shrunk from ", file->path, " (", Size(start, before), ")"),
                                    Cat("in ", stats.runs, " runs; the failure kept its signature: ", before.signature())};
  for (const std::string& step : stats.steps) notes.push_back(Cat("  ", step));
  const report::SeedResult after = cli::RunIsolated(best, seed, limit_ms, [&out, &notes](const scenario::RunResult& run) {
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << scenario::WriteRepro(run, notes);
  });
  const double seconds = (cli::NowMs() - began) / 1000.0;
  if (after.status() != before.status() || after.signature() != before.signature()) {
    std::fprintf(stderr, "faultline shrink: the shrunk scenario no longer fails the same way (%s: %s)\n", after.status().c_str(),
                 after.signature().c_str());
    return kExitInternal;
  }
  std::printf("after        %s\n", Size(best, after).c_str());
  for (const std::string& step : stats.steps) std::printf("  kept       %s\n", step.c_str());
  std::printf("runs         %d of the budget of %" PRIu64 ", %.1f s%s\n", stats.runs, *budget, seconds,
              cli::Interrupted() ? " (interrupted: the smallest so far is written)" : "");
  std::printf("written      %s\n", out.c_str());
  std::printf("replay       faultline replay %s\n", out.c_str());
  return cli::Interrupted() ? 130 : kExitOk;
}

}  // namespace faultline
