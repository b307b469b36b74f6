// The sweep engine behind `faultline sweep` and `faultline compare`
// (design §10, §11; docs/runbook.md): runs a scenario's seeds in worker
// processes and writes the sweep directory (sweep_files.h).
//
// A seed runs in its own child (workers.h). A seed that fails is run a
// second time with the per-event log, for its run directory; the two runs
// must give one trace hash, or the seed is reported as nondeterministic.
// SIGINT and SIGTERM stop the sweep: running seeds are killed and not
// counted, everything finished is written, and the exit code is 130.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/cli/flags.h"
#include "sim/cli/seed_range.h"  // ParseSeeds, for sweep and compare
#include "sim/core/status.h"
#include "sim/report/sweep.pb.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/spec.h"

namespace faultline::cli {

struct SweepOptions {
  std::string scenario;           // the file, as given
  std::vector<std::string> sets;  // --set k=v
  uint64_t first_seed = 1, last_seed = 1;
  uint32_t shard_index = 0, shard_count = 1;
  int jobs = 1;
  double timeout_ms = 0;          // per seed; 0: none
  std::string out;
  std::string junit;              // also write the JUnit file here
  std::string label;              // before the progress line ("mode=raft: ")
  // Testing: the worker for this seed is killed by a signal part-way
  // through its run (a CPU-time timer), as an OOM killer would.
  uint64_t testing_kill_seed = std::numeric_limits<uint64_t>::max();
};

struct SweepOutcome {
  report::SweepSummary summary;
  std::vector<report::SeedResult> results;  // sorted by seed
  bool interrupted = false;
  double wall_ms = 0;
  int exit_code = 0;  // the summary's, or 130 when interrupted
};

// `spec` is the scenario loaded once by the caller (for its name, model and
// expectations); each worker loads it again with its own seed.
Result<SweepOutcome> RunSweep(const SweepOptions& options, const scenario::ScenarioSpec& spec);

// Runs `spec` with `seed` in one worker process and returns its result;
// a crash or a run past `timeout_ms` comes back as such, like a sweep's
// seed. `then`, if given, runs in the worker after the run (shrink writes
// its shrunk.lua there). With SIGINT or SIGTERM the worker is killed and
// the status is "interrupted".
report::SeedResult RunIsolated(const scenario::ScenarioSpec& spec, uint64_t seed, double timeout_ms,
                               const std::function<void(const scenario::RunResult&)>& then = {});

// --jobs N (1..1024), or the cores this process may use when not given.
Result<int> JobsFlag(const Flags& flags);

// Catches SIGINT and SIGTERM into a flag RunSweep polls; idempotent.
void InstallInterruptHandler();
bool Interrupted();

}  // namespace faultline::cli
