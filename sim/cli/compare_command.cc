// `faultline compare` (design §10, issue 7): the same seeds of one scenario
// swept once per value of the varied parameters, and the Markdown table
// that sets the values side by side (compare_table.h). Several --vary
// flags sweep their product. Each value's sweep directory is kept under
// --out, so any cell of the table can be traced to its seeds.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/cli/commands.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/cli/models.h"
#include "sim/cli/sweep.h"
#include "sim/cli/sweep_files.h"
#include "sim/cli/workers.h"
#include "sim/core/strings.h"
#include "sim/report/compare_table.h"
#include "sim/scenario/api.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

int Fail(const Status& s) { return FailBadInput("compare", s); }

struct Vary {
  std::string key;
  std::vector<std::string> values;
};

Result<Vary> ParseVary(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return InvalidArgument(Cat("--vary ", text, ": expected k=v1,v2[,...], e.g. mode=raft,lease"));
  }
  Vary v{text.substr(0, eq), {}};
  std::string_view rest = std::string_view(text).substr(eq + 1);
  while (true) {
    const size_t comma = rest.find(',');
    std::string value(rest.substr(0, comma));
    if (value.empty()) return InvalidArgument(Cat("--vary ", text, ": an empty value (expected k=v1,v2[,...])"));
    v.values.push_back(value);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return v;
}

// Every combination of one value per --vary, first flag slowest.
std::vector<std::vector<std::string>> Product(const std::vector<Vary>& vary) {
  std::vector<std::vector<std::string>> out{{}};
  for (const Vary& v : vary) {
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : out) {
      for (const std::string& value : v.values) {
        next.push_back(prefix);
        next.back().push_back(Cat(v.key, "=", value));
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string DirName(const std::vector<std::string>& sets) {
  std::string name = Join(sets, ",");
  for (char& c : name) {
    if (c == '/' || c == ' ') c = '_';
  }
  return name;
}

}  // namespace

int CompareCommand(const std::vector<std::string>& input) {
  std::vector<std::string> args = input;
  Flags flags;
  flags.Declare("seeds", "the seeds each value runs, A:B inclusive (required)", "");
  flags.Declare("jobs", "worker processes (default: the cores this process may use)", "");
  flags.Declare("md", "also write the Markdown here", "");
  flags.Declare("out", "where each value's sweep directory goes (default: compares/<scenario>-A-B)", "");
  flags.Declare("timeout", "per-seed wall-time limit", "10m");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline compare SCENARIO.lua --vary k=v1,v2[,...] --seeds A:B [--md FILE] [--jobs N] [--set k=v]...\n%s"
                  "  --vary k=v1,v2  the parameter to compare and its values; repeat it for every combination\n"
                  "  --set k=v       a parameter held fixed; repeatable\n",
                  flags.Help().c_str());
      return kExitOk;
    }
  }
  Status error;
  std::vector<std::string> sets = TakeRepeated(args, "set", &error);
  std::vector<std::string> vary_text = TakeRepeated(args, "vary", &error);
  if (!error.ok()) return Fail(error);
  if (Status s = flags.Parse(args); !s.ok()) return Fail(s);
  if (flags.positional().size() != 1) return Fail(InvalidArgument("expected one scenario file: faultline compare SCENARIO.lua --vary k=v1,v2 --seeds A:B"));
  if (vary_text.empty()) return Fail(InvalidArgument("--vary k=v1,v2[,...] is required (e.g. --vary mode=raft,lease)"));
  if (!flags.WasSet("seeds")) return Fail(InvalidArgument("--seeds A:B is required (e.g. --seeds 1:200)"));
  std::vector<Vary> vary;
  for (const std::string& t : vary_text) {
    Result<Vary> v = ParseVary(t);
    if (!v.ok()) return Fail(v.status());
    vary.push_back(std::move(*v));
  }
  Result<std::pair<uint64_t, uint64_t>> seeds = cli::ParseSeeds(flags.Get("seeds"));
  if (!seeds.ok()) return Fail(seeds.status());
  Result<int> jobs_flag = cli::JobsFlag(flags);
  if (!jobs_flag.ok()) return Fail(jobs_flag.status());
  const int jobs = *jobs_flag;
  Result<Duration> timeout = flags.GetDuration("timeout");
  if (!timeout.ok()) return Fail(timeout.status());
  const std::string file = flags.positional()[0];
  const std::string root = flags.WasSet("out") ? flags.Get("out")
                                               : Cat("compares/", fs::path(file).stem().string(), "-", seeds->first, "-", seeds->second);

  // Every combination loads before any runs: a bad value fails at once.
  const std::vector<std::vector<std::string>> combos = Product(vary);
  std::vector<scenario::ScenarioSpec> specs;
  for (const auto& combo : combos) {
    scenario::LoadOptions lo;
    lo.overrides = sets;
    lo.overrides.insert(lo.overrides.end(), combo.begin(), combo.end());
    lo.seed = seeds->first;
    Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(file, cli::Models(), lo);
    if (!spec.ok()) return Fail(Status(spec.status().code(), Cat(spec.status().message(), " (with ", Join(combo, " "), ")")));
    specs.push_back(std::move(*spec));
  }
  cli::InstallInterruptHandler();
  std::error_code ec;
  fs::create_directories(root, ec);
  std::vector<report::CompareColumn> columns;
  for (size_t i = 0; i < combos.size(); ++i) {
    cli::SweepOptions o;
    o.scenario = file;
    o.sets = sets;
    o.sets.insert(o.sets.end(), combos[i].begin(), combos[i].end());
    o.first_seed = seeds->first;
    o.last_seed = seeds->second;
    o.jobs = jobs;
    o.timeout_ms = static_cast<double>(timeout->nanos()) / 1e6;
    o.out = (fs::path(root) / DirName(combos[i])).string();
    o.label = Cat(Join(combos[i], " "), ": ");
    Result<cli::SweepOutcome> r = cli::RunSweep(o, specs[i]);
    if (!r.ok()) return Fail(r.status());
    std::fprintf(stderr, "%s%zu seeds in %.1f s, %llu failing\n", o.label.c_str(), r->results.size(), r->wall_ms / 1000.0,
                 static_cast<unsigned long long>(r->summary.fail() + r->summary.crash() + r->summary.timeout()));
    if (r->interrupted) {
      std::fprintf(stderr, "faultline compare: interrupted; the finished sweeps are in %s/\n", root.c_str());
      return 130;
    }
    columns.push_back(report::CompareColumn{Join(combos[i], " "), std::move(r->summary), std::move(r->results)});
  }
  std::string command = Cat("faultline compare ", file);
  for (const std::string& v : vary_text) Append(&command, " --vary ", v);
  Append(&command, " --seeds ", seeds->first, ":", seeds->second);
  for (const std::string& s : sets) Append(&command, " --set ", s);
  const std::string md = report::CompareMarkdown(command, columns);
  std::printf("%s", md.c_str());
  if (flags.WasSet("md")) {
    if (Status st = cli::WriteFileAtomically(flags.Get("md"), md); !st.ok()) {
      std::fprintf(stderr, "faultline compare: %s\n", st.message().c_str());
      return kExitInternal;
    }
  }
  std::fprintf(stderr, "sweeps in %s/\n", root.c_str());
  return kExitOk;
}

}  // namespace faultline
