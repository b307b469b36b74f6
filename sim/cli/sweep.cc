#include "sim/cli/sweep.h"

#include <sys/time.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/cli/models.h"
#include "sim/cli/progress.h"
#include "sim/cli/sweep_files.h"
#include "sim/cli/workers.h"
#include "sim/core/strings.h"
#include "sim/report/run_dir.h"
#include "sim/report/sweep_report.h"
#include "sim/scenario/api.h"
#include "sim/scenario/runner.h"

namespace faultline::cli {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_interrupted = 0;

void OnInterrupt(int) { g_interrupted = 1; }

// Part-way through the run, by CPU time, so the kill lands inside it.
void ArmTestingKill() {
  itimerval t{};
  t.it_value.tv_usec = 5'000;
  setitimer(ITIMER_VIRTUAL, &t, nullptr);  // SIGVTALRM's default action ends the process
}

[[noreturn]] void WorkerError(const std::string& message, int code) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  _exit(code);
}

// Runs one seed in the worker; returns its SeedResult as a JSON line.
std::string RunSeed(const SweepOptions& o, uint64_t seed) {
  if (seed == o.testing_kill_seed) ArmTestingKill();
  scenario::LoadOptions lo;
  lo.overrides = o.sets;
  lo.seed = seed;
  Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(o.scenario, Models(), lo);
  if (!spec.ok()) WorkerError(spec.status().message(), 2);
  const double start = NowMs();
  Result<scenario::RunResult> run = scenario::RunScenario(*spec, Models(), scenario::RunOptions{seed, false});
  const double wall_ms = NowMs() - start;
  if (!run.ok()) WorkerError(run.status().message(), 2);
  report::SeedResult r = report::SeedResultOf(*run, wall_ms);
  if (r.status() == "pass" || r.status() == "expected") return report::JsonLine(r);
  // Again with the per-event log, for replay's divergence report: the same
  // seed must give the same run.
  Result<scenario::RunResult> again = scenario::RunScenario(*spec, Models(), scenario::RunOptions{seed, true});
  if (!again.ok()) WorkerError(again.status().message(), 2);
  if (again->trace_hash != run->trace_hash) {
    r.set_status("nondeterminism");
    r.set_exit_code(3);
    r.set_worker_error(Cat("the seed ran twice with trace hashes ", HexWord(run->trace_hash), " and ", HexWord(again->trace_hash)));
    r.set_signature(report::Signature(r));
  }
  const std::string rel = FailureDir(seed);
  const std::string dir = (fs::path(o.out) / rel).string();
  fs::create_directories(fs::path(dir).parent_path());
  if (Status s = report::WriteRunDir(*again, report::RunDirInfo{wall_ms, Cat("faultline replay ", dir)}, dir); s.ok()) {
    r.set_run_dir(rel);
  } else {
    std::fprintf(stderr, "%s\n", s.message().c_str());
  }
  return report::JsonLine(r);
}

report::SeedResult FromOutcome(const WorkerOutcome& w) {
  if (w.kind == WorkerOutcome::kDone && w.exit_code == 0) {
    report::SeedResult r;
    std::string_view line(w.out);
    if (report::ParseJsonLine(line, "worker", 1, &r).ok()) {
      r.set_wall_ms(w.wall_ms);
      return r;
    }
  }
  const std::string status = w.kind == WorkerOutcome::kTimedOut ? "timeout" : "crash";
  std::string error = w.err;
  while (!error.empty() && error.back() == '\n') error.pop_back();
  error = error.empty() ? w.Describe() : Cat(w.Describe(), ": ", error);
  return report::WorkerFailure(w.tag, status, error, w.wall_ms);
}

std::string NoteFor(const report::SeedResult& r) {
  std::string line = Cat("seed ", r.seed(), "  ", r.status(), "  ", r.signature());
  if (!r.run_dir().empty()) Append(&line, "  (", r.run_dir(), ")");
  return line;
}

report::SweepInfo InfoOf(const SweepOptions& o, const scenario::ScenarioSpec& spec) {
  report::SweepInfo info;
  info.set_scenario(o.scenario);
  info.set_name(spec.name);
  info.set_model(spec.model);
  for (const std::string& s : o.sets) info.add_sets(s);
  info.set_first_seed(o.first_seed);
  info.set_last_seed(o.last_seed);
  info.set_shard_index(o.shard_index);
  info.set_shard_count(o.shard_count);
  for (const std::string& e : spec.expect) info.add_expect(e);
  for (const scenario::CheckSpec& c : spec.checks) info.add_checks(c.name);
  return info;
}

}  // namespace

Result<int> JobsFlag(const Flags& flags) {
  if (!flags.WasSet("jobs")) return DefaultJobs();
  Result<uint64_t> j = flags.GetUint("jobs");
  if (!j.ok()) return j.status();
  if (*j < 1 || *j > 1024) return InvalidArgument(Cat("--jobs: expected 1..1024, got ", *j));
  return static_cast<int>(*j);
}

void InstallInterruptHandler() {
  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: poll returns EINTR and the loop looks at the flag
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool Interrupted() { return g_interrupted != 0; }

report::SeedResult RunIsolated(const scenario::ScenarioSpec& spec, uint64_t seed, double timeout_ms,
                               const std::function<void(const scenario::RunResult&)>& then) {
  WorkerPool pool(1, timeout_ms);
  pool.Start(seed, [&spec, seed, &then] {
    const double start = NowMs();
    Result<scenario::RunResult> run = scenario::RunScenario(spec, Models(), scenario::RunOptions{seed, static_cast<bool>(then)});
    if (!run.ok()) WorkerError(run.status().message(), 2);
    if (then) then(*run);
    return report::JsonLine(report::SeedResultOf(*run, NowMs() - start));
  });
  WorkerOutcome w;
  if (!pool.Next(&w, Interrupted)) {
    pool.KillAll();
    report::SeedResult r;
    r.set_seed(seed);
    r.set_status("interrupted");
    return r;
  }
  return FromOutcome(w);
}

Result<SweepOutcome> RunSweep(const SweepOptions& o, const scenario::ScenarioSpec& spec) {
  const report::SweepInfo info = InfoOf(o, spec);
  if (Status s = PrepareSweepDir(o.out, info); !s.ok()) return s;
  const std::vector<uint64_t> planned = report::ShardSeeds(o.first_seed, o.last_seed, o.shard_index, o.shard_count);
  std::ofstream progressive(fs::path(o.out) / "results.jsonl", std::ios::binary | std::ios::trunc);
  SweepOutcome out;
  const double start = NowMs();
  Progress progress(o.label, planned.size(), StderrIsTerminal());
  WorkerPool pool(o.jobs, o.timeout_ms);
  size_t next = 0;
  while (next < planned.size() || !pool.idle()) {
    while (next < planned.size() && !pool.full() && !Interrupted()) {
      const uint64_t seed = planned[next++];
      pool.Start(seed, [&o, seed] { return RunSeed(o, seed); });
    }
    WorkerOutcome w;
    if (Interrupted() || !pool.Next(&w, Interrupted)) {
      out.interrupted = true;
      pool.KillAll();
      break;
    }
    report::SeedResult r = FromOutcome(w);
    progressive << report::JsonLine(r) << '\n' << std::flush;
    const bool failed = r.status() != "pass" && r.status() != "expected";
    if (failed) progress.Note(NoteFor(r));
    progress.Done(failed);
    out.results.push_back(std::move(r));
  }
  progress.Finish();
  progressive.close();
  out.wall_ms = NowMs() - start;
  Result<report::SweepSummary> summary = WriteSweepOutputs(o.out, info, &out.results, planned, o.junit);
  if (!summary.ok()) return summary.status();
  out.summary = std::move(*summary);
  out.exit_code = out.interrupted ? 130 : out.summary.exit_code();
  return out;
}

}  // namespace faultline::cli
