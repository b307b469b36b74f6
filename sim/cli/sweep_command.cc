// `faultline sweep` and `faultline merge` (design §10, §11; issue 7;
// docs/runbook.md, docs/scale-out.md).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/container/btree_set.h"
#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/cli/models.h"
#include "sim/cli/sweep.h"
#include "sim/cli/sweep_files.h"
#include "sim/cli/workers.h"
#include "sim/core/strings.h"
#include "sim/report/sweep_report.h"
#include "sim/scenario/api.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// The environment variables a cluster scheduler sets for one task of an
// array job; read only to choose which seeds this process runs.
const char* SchedulerVar(const char* name) {
  return getenv(name);  // tidy:allow(environment) the shard of a cluster job, never an input to a run
}

// --shard I/K; else JOB_COMPLETION_INDEX (Kubernetes Indexed Job) with
// --shard-count K; else SLURM_ARRAY_TASK_ID less SLURM_ARRAY_TASK_MIN, of
// SLURM_ARRAY_TASK_COUNT; else 0/1.
Result<std::pair<uint32_t, uint32_t>> ResolveShard(const Flags& flags) {
  if (flags.WasSet("shard")) return cli::ParseShard(flags.Get("shard"));
  if (const char* index = SchedulerVar("JOB_COMPLETION_INDEX")) {
    if (!flags.WasSet("shard-count")) {
      return InvalidArgument("JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): pass --shard-count K, the Job's completions");
    }
    Result<uint64_t> i = ParseUint(index, "JOB_COMPLETION_INDEX");
    Result<uint64_t> k = flags.GetUint("shard-count");
    if (!i.ok()) return i.status();
    if (!k.ok()) return k.status();
    return cli::CheckShard(*i, *k, "JOB_COMPLETION_INDEX");
  }
  const char* task = SchedulerVar("SLURM_ARRAY_TASK_ID");
  const char* count = SchedulerVar("SLURM_ARRAY_TASK_COUNT");
  if (task != nullptr && count != nullptr) {
    Result<uint64_t> i = ParseUint(task, "SLURM_ARRAY_TASK_ID");
    Result<uint64_t> k = ParseUint(count, "SLURM_ARRAY_TASK_COUNT");
    const char* min = SchedulerVar("SLURM_ARRAY_TASK_MIN");
    Result<uint64_t> m = min != nullptr ? ParseUint(min, "SLURM_ARRAY_TASK_MIN") : Result<uint64_t>(uint64_t{0});
    if (!i.ok()) return i.status();
    if (!k.ok()) return k.status();
    if (!m.ok()) return m.status();
    if (*i < *m) return InvalidArgument(Cat("SLURM_ARRAY_TASK_ID ", *i, " is below SLURM_ARRAY_TASK_MIN ", *m));
    return cli::CheckShard(*i - *m, *k, "SLURM_ARRAY_TASK_ID");
  }
  return std::make_pair(uint32_t{0}, uint32_t{1});
}

std::string DefaultSweepOut(const std::string& scenario, uint64_t first, uint64_t last, uint32_t index, uint32_t count) {
  std::string out = Cat("sweeps/", fs::path(scenario).stem().string(), "-", first, "-", last);
  if (count > 1) Append(&out, "-shard", index, "of", count);
  return out;
}

}  // namespace

int SweepCommand(const std::vector<std::string>& input) {
  std::vector<std::string> args = input;
  Flags flags;
  flags.Declare("seeds", "the seeds to run, A:B inclusive (required)", "");
  flags.Declare("jobs", "worker processes (default: the cores this process may use)", "");
  flags.Declare("shard", "run only the seeds = I (mod K), as I/K; also read from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID", "");
  flags.Declare("shard-count", "K when the shard index comes from JOB_COMPLETION_INDEX", "");
  flags.Declare("junit", "also write the JUnit XML here (it is always in the output directory)", "");
  flags.Declare("out", "the output directory (default: sweeps/<scenario>-A-B)", "");
  flags.Declare("timeout", "per-seed wall-time limit; a seed past it is killed and reported as failing", "10m");
  flags.Declare("testing-kill-seed", "testing: the worker for this seed is killed by a signal part-way through", "");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline sweep SCENARIO.lua --seeds A:B [--jobs N] [--shard I/K] [--junit FILE] [--out DIR] [--set k=v]...\n%s"
                  "  --set k=v  a model parameter or scenario field, as for run; repeatable\n"
                  "exit: 0 no seed failed, 1 a safety check failed, 4 only liveness, 5 only unknown, 70 a worker crashed or timed out, 130 interrupted\n",
                  flags.Help().c_str());
      return kExitOk;
    }
  }
  Status set_error;
  cli::SweepOptions o;
  o.sets = TakeRepeated(args, "set", &set_error);
  if (!set_error.ok()) return FailBadInput("sweep", set_error);
  if (Status s = flags.Parse(args); !s.ok()) return FailBadInput("sweep", s);
  if (flags.positional().size() != 1) return FailBadInput("sweep", InvalidArgument("expected one scenario file: faultline sweep SCENARIO.lua --seeds A:B"));
  o.scenario = flags.positional()[0];
  if (!flags.WasSet("seeds")) return FailBadInput("sweep", InvalidArgument("--seeds A:B is required (e.g. --seeds 1:1000)"));
  Result<std::pair<uint64_t, uint64_t>> seeds = cli::ParseSeeds(flags.Get("seeds"));
  if (!seeds.ok()) return FailBadInput("sweep", seeds.status());
  std::tie(o.first_seed, o.last_seed) = *seeds;
  Result<std::pair<uint32_t, uint32_t>> shard = ResolveShard(flags);
  if (!shard.ok()) return FailBadInput("sweep", shard.status());
  std::tie(o.shard_index, o.shard_count) = *shard;
  Result<int> jobs = cli::JobsFlag(flags);
  if (!jobs.ok()) return FailBadInput("sweep", jobs.status());
  o.jobs = *jobs;
  Result<Duration> timeout = flags.GetDuration("timeout");
  if (!timeout.ok()) return FailBadInput("sweep", timeout.status());
  o.timeout_ms = static_cast<double>(timeout->nanos()) / 1e6;
  if (flags.WasSet("testing-kill-seed")) {
    Result<uint64_t> k = flags.GetUint("testing-kill-seed");
    if (!k.ok()) return FailBadInput("sweep", k.status());
    o.testing_kill_seed = *k;
  }
  o.junit = flags.Get("junit");
  o.out = flags.WasSet("out") ? flags.Get("out") : DefaultSweepOut(o.scenario, o.first_seed, o.last_seed, o.shard_index, o.shard_count);

  scenario::LoadOptions lo;
  lo.overrides = o.sets;
  lo.seed = o.first_seed;
  Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(o.scenario, cli::Models(), lo);
  if (!spec.ok()) return FailBadInput("sweep", spec.status());
  cli::InstallInterruptHandler();
  std::printf("running      %s, seeds %" PRIu64 ":%" PRIu64 "%s, %d worker%s, into %s/\n", o.scenario.c_str(), o.first_seed,
              o.last_seed, o.shard_count > 1 ? Cat(", shard ", o.shard_index, "/", o.shard_count).c_str() : "", o.jobs,
              o.jobs == 1 ? "" : "s", o.out.c_str());
  std::fflush(stdout);
  Result<cli::SweepOutcome> r = cli::RunSweep(o, *spec);
  if (!r.ok()) return FailBadInput("sweep", r.status());
  std::printf("%s", report::SummaryText(r->summary).c_str());
  const double seconds = r->wall_ms / 1000.0;
  std::printf("wall time    %.1f s, %.2f seeds/s with %d worker%s\n", seconds,
              seconds > 0 ? static_cast<double>(r->results.size()) / seconds : 0.0, o.jobs, o.jobs == 1 ? "" : "s");
  std::printf("written      %s/ (summary.txt, summary.json, results.jsonl, junit.xml%s)\n", o.out.c_str(),
              r->summary.groups().empty() ? "" : ", failures/");
  if (r->interrupted) std::printf("INTERRUPTED: the seeds finished so far are written; the rest are listed as missing\n");
  return r->exit_code;
}

int MergeCommand(const std::vector<std::string>& args) {
  Flags flags;
  flags.Declare("out", "the merged output directory (default: merged/ beside the first DIR)", "");
  flags.Declare("junit", "also write the merged JUnit XML here", "");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline merge DIR... [--out DIR] [--junit FILE]\n"
                  "Combines the output directories of shards of one sweep into what one sweep of all the seeds writes.\n%s",
                  flags.Help().c_str());
      return kExitOk;
    }
  }
  if (Status s = flags.Parse(args); !s.ok()) return FailBadInput("merge", s);
  if (flags.positional().empty()) return FailBadInput("merge", InvalidArgument("expected the shards' output directories: faultline merge DIR..."));
  std::vector<cli::SweepDir> dirs;
  for (const std::string& d : flags.positional()) {
    Result<cli::SweepDir> sd = cli::ReadSweepDir(d);
    if (!sd.ok()) return FailBadInput("merge", sd.status());
    dirs.push_back(std::move(*sd));
  }
  report::SweepInfo info = dirs[0].info;
  absl::btree_set<uint32_t> shards;
  absl::btree_set<uint64_t> seen;
  std::vector<report::SeedResult> results;
  for (const cli::SweepDir& d : dirs) {
    const report::SweepInfo& i = d.info;
    const bool same = i.scenario() == info.scenario() && i.first_seed() == info.first_seed() && i.last_seed() == info.last_seed() &&
                      i.shard_count() == info.shard_count() &&
                      std::equal(i.sets().begin(), i.sets().end(), info.sets().begin(), info.sets().end());
    if (!same) {
      return FailBadInput("merge", InvalidArgument(Cat(d.path, "/sweep.json: a different sweep from ", dirs[0].path,
                                               " (expected the same scenario, --set values, --seeds and shard count)")));
    }
    if (!shards.insert(i.shard_index()).second) {
      return FailBadInput("merge", InvalidArgument(Cat(d.path, ": shard ", i.shard_index(), "/", i.shard_count(), " given twice")));
    }
    for (const report::SeedResult& r : d.results) {
      if (!seen.insert(r.seed()).second) return FailBadInput("merge", InvalidArgument(Cat(d.path, ": seed ", r.seed(), " is in two shards")));
      results.push_back(r);
    }
  }
  info.set_shard_index(0);
  info.set_shard_count(1);
  const std::string out = flags.WasSet("out") ? flags.Get("out") : (fs::path(dirs[0].path).parent_path() / "merged").string();
  for (const cli::SweepDir& d : dirs) {
    if (fs::weakly_canonical(d.path) == fs::weakly_canonical(out)) return FailBadInput("merge", InvalidArgument(Cat("--out ", out, " is one of the shards")));
  }
  if (Status s = cli::PrepareSweepDir(out, info); !s.ok()) return FailBadInput("merge", s);
  // The failing seeds' run directories, to where one sweep would have put them.
  for (const cli::SweepDir& d : dirs) {
    for (const report::SeedResult& r : d.results) {
      if (r.run_dir().empty()) continue;
      std::error_code ec;
      fs::create_directories(fs::path(out) / r.run_dir(), ec);
      fs::copy(fs::path(d.path) / r.run_dir(), fs::path(out) / r.run_dir(), fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
      if (ec) return FailBadInput("merge", Status(Error::kIoError, Cat(d.path, "/", r.run_dir(), ": cannot copy (", ec.message(), ")")));
    }
  }
  const std::vector<uint64_t> planned = report::ShardSeeds(info.first_seed(), info.last_seed(), 0, 1);
  Result<report::SweepSummary> summary = cli::WriteSweepOutputs(out, info, &results, planned, flags.Get("junit"));
  if (!summary.ok()) {
    std::fprintf(stderr, "faultline merge: %s\n", summary.status().message().c_str());
    return kExitInternal;
  }
  std::printf("merged       %zu shard%s of %u into %s/\n", dirs.size(), dirs.size() == 1 ? "" : "s", dirs[0].info.shard_count(), out.c_str());
  std::printf("%s", report::SummaryText(*summary).c_str());
  return summary->exit_code();
}

}  // namespace faultline
