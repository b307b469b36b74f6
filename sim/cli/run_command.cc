// `faultline run`, `faultline replay` and `faultline scenarios` (design §10,
// issue 5): the engineer's loop. run loads a scenario, runs it, prints a
// short summary and writes the run directory; replay re-runs a run
// directory or a repro.lua and compares trace hashes, naming the first
// divergent event on a mismatch; scenarios lists what is there to run.
#include <chrono>  // wall time for the summary and a fresh seed only; sim/cli is exempt (design §2)
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/cli/models.h"
#include "sim/cli/repro_file.h"
#include "sim/core/hash.h"
#include "sim/core/strings.h"
#include "sim/report/run_dir.h"
#include "sim/scenario/api.h"
#include "sim/scenario/repro.h"
#include "sim/scenario/runner.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using scenario::RunResult;

Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(Cat(path, ": cannot read"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

uint64_t FreshSeed() {
  const auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return HashBytes(&now, sizeof now, 0x5eed) % 1'000'000'000;  // short enough to type
}

std::string EventKindName(EventKind k) {
  switch (k) {
    case EventKind::kWake: return "wake";
    case EventKind::kCallback: return "callback";
    case EventKind::kDeliver: return "deliver";
    case EventKind::kLifecycle: return "lifecycle";
    default: return Cat("handler ", static_cast<int>(k));
  }
}

std::string Ms(int64_t ns) { return FormatDuration(Duration::Nanos(ns)); }

void PrintSummary(const RunResult& r, double wall_ms, const std::string& dir, const std::string& replay) {
  const scenario::ScenarioSpec& s = r.spec;
  std::string params;
  for (const auto& [k, v] : s.params) params += Cat(", ", k, "=", v);
  std::printf("scenario     %s (%s%s, %d nodes)\n", s.name.c_str(), s.model.c_str(), params.c_str(), s.nodes);
  std::printf("seed         %" PRIu64 "\n", r.seed);
  std::printf("trace hash   %s   unseed %s\n", HexWord(r.trace_hash).c_str(), HexWord(r.unseed).c_str());
  std::printf("events       %" PRIu64 " over %s virtual, %.0f ms wall\n", r.events, Ms(r.end_ns).c_str(), wall_ms);
  std::printf("messages     sent %" PRIu64 ", delivered %" PRIu64 ", dropped %" PRIu64 "\n", r.net.sent, r.net.delivered,
              r.net.dropped());
  std::printf("ops          ok %zu, fail %zu, info %zu; latency p50 %s, p99 %s\n", r.ok, r.fail, r.info,
              Ms(r.latency.p50_ns).c_str(), Ms(r.latency.p99_ns).c_str());
  std::printf("faults       %zu applied", r.faults.size());
  if (!r.enabled_kinds.empty()) {
    std::string kinds;
    for (const std::string& k : r.enabled_kinds) kinds += (kinds.empty() ? "" : ",") + k;
    std::printf(" (nemesis kinds on: %s)", kinds.c_str());
  }
  std::printf(", %zu skipped\n", r.skipped.size());
  std::printf("checks\n");
  int width = 15;  // the names in one column, however long the model's are
  for (const scenario::CheckOutcome& c : r.checks) width = std::max(width, static_cast<int>(c.name.size()));
  for (const scenario::CheckOutcome& c : r.checks) {
    const bool expected = std::find(s.expect.begin(), s.expect.end(), c.name) != s.expect.end();
    std::string verdict(VerdictName(c.verdict));
    if (c.verdict == Verdict::kViolation) verdict = "VIOLATION";
    std::printf("  %-*s %-10s%s %s", width, c.name.c_str(), verdict.c_str(), expected ? " (expected)" : "", c.message.c_str());
    if (c.first_violation_ns >= 0) std::printf("; first at %s", Ms(c.first_violation_ns).c_str());
    std::printf("\n");
    for (size_t i = 0; i < c.evidence.size() && i < 3; ++i) std::printf("      %s\n", c.evidence[i].c_str());
    if (c.evidence.size() > 3) std::printf("      ... %zu more lines in summary.json\n", c.evidence.size() - 3);
  }
  size_t undecided = 0;
  for (const scenario::CheckOutcome& c : r.checks) undecided += c.verdict == Verdict::kUnknown;
  std::string outcome = !r.as_expected    ? "NOT as the scenario expects"
                        : !s.expect.empty() ? "as expected: the expected violations were found"
                        : undecided == 0    ? "as expected: every check passed"
                                            : "no violation found";
  if (undecided > 0) outcome += Cat("; ", undecided, undecided == 1 ? " check" : " checks", " undecided (out of budget)");
  std::printf("outcome      %s\n", outcome.c_str());
  std::printf("run dir      %s/\n", dir.c_str());
  std::printf("report       %s/report.html  (trace.json opens in ui.perfetto.dev)\n", dir.c_str());
  std::printf("replay       %s\n", replay.c_str());
}

struct Loaded {
  scenario::ScenarioSpec spec;
  uint64_t seed = 0;
  bool fresh = false;
};

}  // namespace

int RunCommand(const std::vector<std::string>& input) {
  std::vector<std::string> args = input;
  Flags flags;
  flags.Declare("seed", "the run's seed (default: the scenario's, else a fresh one, printed)", "");
  flags.Declare("out", "the run directory (default: runs/<scenario>-seed<N>)", "");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline run SCENARIO.lua [--seed N] [--set k=v]... [--out DIR]\n%s"
                  "  --set k=v        a model parameter (mode=lease) or scenario field (duration=5s, workload.clients=8); repeatable\n",
                  flags.Help().c_str());
      return kExitOk;
    }
  }
  Status set_error;
  std::vector<std::string> sets = TakeRepeated(args, "set", &set_error);
  if (!set_error.ok()) return FailBadInput("run", set_error);
  if (Status s = flags.Parse(args); !s.ok()) return FailBadInput("run", s);
  if (flags.positional().size() != 1) return FailBadInput("run", InvalidArgument("expected one scenario file: faultline run SCENARIO.lua"));
  const std::string file = flags.positional()[0];

  scenario::LoadOptions lo;
  lo.overrides = sets;
  Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(file, cli::Models(), lo);
  if (!spec.ok()) return FailBadInput("run", spec.status());
  uint64_t seed = 0;
  bool fresh = false;
  if (flags.WasSet("seed")) {
    Result<uint64_t> s = flags.GetUint("seed");
    if (!s.ok()) return FailBadInput("run", s.status());
    seed = *s;
  } else if (spec->seed) {
    seed = *spec->seed;
  } else {
    seed = FreshSeed();
    fresh = true;
  }
  if (seed != lo.seed) {
    // math.random in the scenario draws from the run's seed: load again
    // with it (the first load was needed to read the scenario's own seed).
    lo.seed = seed;
    spec = scenario::LoadScenario(file, cli::Models(), lo);
    if (!spec.ok()) return FailBadInput("run", spec.status());
  }
  const std::string dir = flags.WasSet("out") ? flags.Get("out") : Cat("runs/", fs::path(file).stem().string(), "-seed", seed);

  const auto start = std::chrono::steady_clock::now();
  Result<RunResult> run = scenario::RunScenario(*spec, cli::Models(), scenario::RunOptions{seed, true});
  const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!run.ok()) return FailBadInput("run", run.status());
  const std::string replay = Cat("faultline replay ", dir);
  if (Status s = report::WriteRunDir(*run, report::RunDirInfo{wall_ms, replay}, dir); !s.ok()) {
    std::fprintf(stderr, "faultline run: %s\n", s.message().c_str());
    return kExitInternal;
  }
  if (fresh) std::printf("(a fresh seed; `--seed %" PRIu64 "` repeats this run)\n", seed);
  PrintSummary(*run, wall_ms, dir, replay);
  return run->exit_code;
}

int ReplayCommand(const std::vector<std::string>& args) {
  Flags flags;
  flags.Declare("perturb-event", "testing: hash event N differently, to show how a divergence is reported", "");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline replay DIR|REPRO.lua\n%s", flags.Help().c_str());
      return kExitOk;
    }
  }
  if (Status s = flags.Parse(args); !s.ok()) return FailBadInput("replay", s);
  if (flags.positional().size() != 1) return FailBadInput("replay", InvalidArgument("expected a run directory or a repro.lua"));
  Result<cli::ReproFile> file = cli::ReadReproFile(flags.positional()[0]);
  if (!file.ok()) return FailBadInput("replay", file.status());
  const fs::path repro(file->path);
  const fs::path events = repro.parent_path() / "events.log";
  if (!file->header_error.ok()) return FailBadInput("replay", file->header_error);
  if (!file->header) {
    return FailBadInput("replay", InvalidArgument(Cat(repro.string(), ": expected the line \"-- faultline: seed=N trace_hash=0x... unseed=0x...\" that faultline run writes")));
  }
  const uint64_t seed = file->header->seed, want_hash = file->header->trace_hash, want_unseed = file->header->unseed;
  const std::string* text = &file->text;
  scenario::LoadOptions lo;
  lo.seed = seed;
  Result<scenario::ScenarioSpec> spec = scenario::LoadScenarioSource(repro.string(), *text, cli::Models(), lo);
  if (!spec.ok()) return FailBadInput("replay", spec.status());
  scenario::RunOptions ro{seed, true};
  if (flags.WasSet("perturb-event")) {
    Result<uint64_t> n = flags.GetUint("perturb-event");
    if (!n.ok()) return FailBadInput("replay", n.status());
    ro.perturb_event = *n;
  }
  Result<RunResult> run = scenario::RunScenario(*spec, cli::Models(), ro);
  if (!run.ok()) return FailBadInput("replay", run.status());
  std::printf("replay       %s, seed %" PRIu64 "\n", repro.string().c_str(), seed);
  std::printf("trace hash   %s (recorded %s)\nunseed       %s (recorded %s)\n", HexWord(run->trace_hash).c_str(),
              HexWord(want_hash).c_str(), HexWord(run->unseed).c_str(), HexWord(want_unseed).c_str());
  if (run->trace_hash == want_hash && run->unseed == want_unseed) {
    std::printf("identical: the run replays bit for bit\n");
    return kExitOk;
  }
  std::printf("NONDETERMINISM: the replay differs from the recorded run\n");
  Result<std::string> log_text = ReadText(events.string());
  if (!log_text.ok()) {
    std::printf("(no %s beside it, so the first divergent event cannot be named)\n", events.string().c_str());
    return kExitNondeterminism;
  }
  Result<std::vector<TraceEntry>> recorded = report::ReadEventLog(*log_text, events.string());
  if (!recorded.ok()) return FailBadInput("replay", recorded.status());
  std::optional<size_t> first = FirstDivergence(*recorded, run->trace_log);
  if (!first) {
    std::printf("the per-event logs agree; only the unseed differs (a random stream drawn differently after the last event)\n");
    return kExitNondeterminism;
  }
  const std::vector<std::string>& names = run->node_names;
  auto describe = [&names](const std::vector<TraceEntry>& log, size_t i) -> std::string {
    if (i >= log.size()) return "(no such event: the run ended)";
    const TraceEntry& e = log[i];
    const std::string node = !e.node.valid() ? std::string("(none)") : e.node.value < names.size() ? names[e.node.value] : Cat("#", e.node.value);
    return Cat("time ", FormatTime(e.at), ", node ", node, ", kind ", EventKindName(e.kind), ", hash ", HexWord(e.hash));
  };
  std::printf("first divergent event: #%zu\n  recorded  %s\n  replayed  %s\n", *first, describe(*recorded, *first).c_str(),
              describe(run->trace_log, *first).c_str());
  return kExitNondeterminism;
}

int ScenariosCommand(const std::vector<std::string>& args) {
  std::string root = "scenarios";
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::printf("usage: faultline scenarios [DIR]   (default: scenarios)\n");
    return kExitOk;
  }
  if (!args.empty()) root = args[0];
  std::error_code ec;
  std::vector<std::string> files;
  // tidy:allow(dir-order) the names are sorted below
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".lua") files.push_back(it->path().string());
  }
  if (ec || files.empty()) return FailBadInput("scenarios", InvalidArgument(Cat(root, ": no scenarios found (expected .lua files)")));
  std::sort(files.begin(), files.end());
  int status = kExitOk;
  for (const std::string& f : files) {
    Result<scenario::ScenarioSpec> s = scenario::LoadScenario(f, cli::Models(), {});
    if (!s.ok()) {
      std::printf("%-40s  (does not load: %s)\n", f.c_str(), s.status().message().c_str());
      status = kExitBadInput;
      continue;
    }
    std::printf("%-40s  %s\n", f.c_str(), s->description.empty() ? s->name.c_str() : s->description.c_str());
  }
  return status;
}

}  // namespace faultline
