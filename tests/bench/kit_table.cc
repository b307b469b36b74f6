// The expected-behaviour table of the consistency kit (issue 4) over many
// seeds: for each mode and fault, the fraction of seeds in which the
// checkers find what the mode is expected to show, and the median virtual
// time to the first violation. Not a speed benchmark: a sweep whose output
// is quoted in docs/performance.md and docs/consistency-modes.md.
//
//   build/tests/bench/kit_table [SEEDS]     (default 200)
//
// The runs and the rows are in tests/unit/models/kit/kit_table.h, which
// the CI test shares with a few seeds per row.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/core/strings.h"
#include "tests/unit/models/kit/kit_table.h"


int main(int argc, char** argv) {
  using namespace faultline::kit;
  using namespace faultline::kit::testing;
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 200;
  std::printf("| mode | fault | seeds | not linearizable | median time to first violation | split-brain | converged | lost writes (seeds; concurrent / to earlier, of acknowledged) | crdt-merge ok |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const TableMode& m : TableModes()) {
    for (Fault f : kFaults) {
      const Row row = RunRow(m, f, seeds);
      auto pct = [&](int n) { return 100.0 * n / row.seeds; };
      if (m.kind == Kind::kCrdt) {
        std::printf("| %s | %s | %d | — | — | — | %.0f%% | — | %.0f%% |\n", m.name, FaultName(f), row.seeds,
                    pct(row.converged), pct(row.crdt_ok));
      } else {
        const double median = Median(row.first_violation_s);
        const std::string first = median < 0 ? "—" : faultline::Cat(static_cast<int64_t>(median * 1000), " ms");
        std::printf("| %s | %s | %d | %.0f%% | %s | %.0f%% | %.0f%% | %.0f%%; %zu / %zu of %zu | — |\n", m.name,
                    FaultName(f), row.seeds, pct(row.not_linearizable), first.c_str(), pct(row.split_brain),
                    pct(row.converged), pct(row.lost_any), row.lost_concurrent, row.lost_earlier, row.acknowledged);
      }
      std::fflush(stdout);
    }
  }
  return 0;
}
