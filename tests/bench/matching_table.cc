// The matching service's table (issue 6, docs/models/matching.md): every
// scenario in scenarios/matching/ under each combination of `registry`
// and `profiles`, over many seeds. For each row: the seeds in which each
// invariant was violated, the availability of assignments invoked during
// a fault window, and p50/p99 virtual latency of match and assign. Not a
// speed benchmark: a sweep whose output is pasted into the docs.
//
//   build/tests/bench/matching_table [SEEDS [SCENARIO...]]   (default 200, all six)
//
// Rows print as they finish; run two at once on disjoint scenarios to use
// both cores.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/cli/models.h"
#include "sim/core/strings.h"
#include "sim/report/run_view.h"
#include "sim/scenario/api.h"
#include "sim/scenario/runner.h"

namespace faultline {
namespace {

const std::vector<std::string> kChecks = {"no_double_booking", "linearizable",     "profiles_converge",
                                          "match_staleness",   "scores_explained", "no_lost_profile_updates"};

struct Row {
  std::vector<int> violated = std::vector<int>(kChecks.size(), 0);
  int64_t assigns_in_faults = 0, assigns_ok_in_faults = 0;
  std::vector<int64_t> match_ns, assign_ns;
  int runs = 0;
};

std::string Percentile(std::vector<int64_t> v, double q) {
  if (v.empty()) return "—";
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  char out[32];
  std::snprintf(out, sizeof out, "%.1f ms", static_cast<double>(v[k]) / 1e6);
  return out;
}

void Add(const scenario::RunResult& r, Row* row) {
  ++row->runs;
  for (const scenario::CheckOutcome& c : r.checks) {
    auto it = std::find(kChecks.begin(), kChecks.end(), c.name);
    if (it != kChecks.end() && c.verdict == Verdict::kViolation) ++row->violated[static_cast<size_t>(it - kChecks.begin())];
  }
  const std::vector<report::FaultWindow> windows = report::FaultWindows(r.faults, r.end_ns);
  for (const report::OpSpan& s : report::OpSpans(r.history, r.end_ns)) {
    if (s.outcome == "ok" && s.f == "match") row->match_ns.push_back(s.to_ns - s.from_ns);
    if (s.f != "assign") continue;
    if (s.outcome == "ok") row->assign_ns.push_back(s.to_ns - s.from_ns);
    const bool in_fault = std::any_of(windows.begin(), windows.end(), [&](const report::FaultWindow& w) {
      return w.from_ns <= s.from_ns && s.from_ns < std::max(w.to_ns, w.from_ns + 1);
    });
    if (!in_fault) continue;
    ++row->assigns_in_faults;
    if (s.outcome == "ok") ++row->assigns_ok_in_faults;
  }
}

}  // namespace
}  // namespace faultline

int main(int argc, char** argv) {
  using namespace faultline;
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 200;
  std::vector<std::string> files;
  for (int i = 2; i < argc; ++i) files.push_back(argv[i]);
  if (files.empty()) {
    for (const char* f : {"steady", "partition-burst", "registry-skew", "registry-split-brain", "engine-crash-loop", "swarm"}) {
      files.push_back(Cat("scenarios/matching/", f, ".lua"));
    }
  }
  std::printf("| scenario | registry | profiles | seeds |");
  for (const std::string& c : kChecks) std::printf(" %s |", c.c_str());
  std::printf(" assign availability in faults | match p50 / p99 | assign p50 / p99 |\n|---|---|---|---|");
  for (size_t i = 0; i < kChecks.size(); ++i) std::printf("---|");
  std::printf("---|---|---|\n");
  for (const std::string& file : files) {
    for (const char* registry : {"raft", "lease", "lww"}) {
      for (const char* profiles : {"crdt", "lww"}) {
        scenario::LoadOptions o;
        o.overrides = {Cat("registry=", registry), Cat("profiles=", profiles)};
        Result<scenario::ScenarioSpec> spec = scenario::LoadScenario(file, cli::Models(), o);
        if (!spec.ok()) {
          std::fprintf(stderr, "%s\n", spec.status().message().c_str());
          return 2;
        }
        Row row;
        for (int seed = 1; seed <= seeds; ++seed) {
          Result<scenario::RunResult> r = scenario::RunScenario(*spec, cli::Models(), {static_cast<uint64_t>(seed), false});
          if (!r.ok()) {
            std::fprintf(stderr, "%s seed %d: %s\n", file.c_str(), seed, r.status().message().c_str());
            return 1;
          }
          Add(*r, &row);
        }
        std::string name = file.substr(file.rfind('/') + 1);
        name.resize(name.size() - 4);
        std::printf("| %s | %s | %s | %d |", name.c_str(), registry, profiles, row.runs);
        for (int v : row.violated) std::printf(" %d |", v);
        if (row.assigns_in_faults == 0) {
          std::printf(" — |");
        } else {
          std::printf(" %.1f%% of %lld |", 100.0 * static_cast<double>(row.assigns_ok_in_faults) / static_cast<double>(row.assigns_in_faults),
                      static_cast<long long>(row.assigns_in_faults));
        }
        std::printf(" %s / %s | %s / %s |\n", Percentile(row.match_ns, 0.5).c_str(), Percentile(row.match_ns, 0.99).c_str(),
                    Percentile(row.assign_ns, 0.5).c_str(), Percentile(row.assign_ns, 0.99).c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
