// Runs a ScenarioSpec on the simulator (design §9, §10): builds the model's
// cluster, applies the fault schedule, runs the workload for `duration`,
// heals every fault and lets the system quiesce, then runs the checks.
//
// The random nemesis is planned before the run starts: its draws (from the
// "nemesis" stream) become explicit Scheduled faults, merged with the
// scenario's own by time, and every fault is scheduled the same way. So a
// repro.lua that lists `plan` and has no nemesis runs event for event like
// the original (same trace hash), and editing it by hand is meaningful.
//
// Fault semantics for scenarios: partitions cut the servers only; every
// client reaches every server, so a partition shows what each side does
// with the requests it gets (the minority of a raft cluster refuses them;
// an old lease primary may accept them). The final heal restores links,
// restarts crashed nodes, resumes paused ones and clears disk faults;
// clocks keep their offsets, since resetting one is itself a jump.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/engine/simulation.h"
#include "sim/engine/trace.h"
#include "sim/scenario/model.h"
#include "sim/scenario/spec.h"
#include "sim/world/network.h"
#include "sim/world/switchboard.h"

namespace faultline::scenario {

struct RunOptions {
  uint64_t seed = 1;
  bool trace_log = false;  // keep the per-event hash log (replay's diff)
  uint64_t perturb_event = UINT64_MAX;  // test hook: Trace::PerturbAt
};

struct LatencySummary {
  size_t count = 0;
  int64_t p50_ns = 0, p99_ns = 0, max_ns = 0;
};

struct RunResult {
  ScenarioSpec spec;
  absl::btree_map<std::string, std::string> params;  // every model parameter, defaults included
  uint64_t seed = 0;
  uint64_t trace_hash = 0;
  uint64_t unseed = 0;
  uint64_t events = 0;
  NetStats net;
  int64_t workload_end_ns = 0, heal_ns = 0, end_ns = 0;
  History history;
  size_t ok = 0, fail = 0, info = 0;
  LatencySummary latency;  // of acknowledged operations, invoke to completion
  std::vector<Scheduled> plan;           // every fault in the order scheduled, nemesis draws included
  std::vector<FaultRecord> faults;       // as the switchboard applied them
  std::vector<std::string> skipped;      // faults that found no target ("no leader at 1s")
  std::vector<bool> plan_skipped;        // by plan index: that fault was skipped (not applied)
  std::vector<CheckOutcome> checks;
  std::vector<std::string> enabled_kinds;  // the nemesis kinds on for this seed (swarm)
  std::vector<TraceEntry> trace_log;
  std::vector<std::string> node_names;  // by node id
  std::vector<NodeId> servers;          // the model's, in order
  // For the trace and the report: messages and node log lines, the first
  // kMaxRecorded of each (the counts say how many were left out).
  static constexpr size_t kMaxRecorded = 400'000;
  std::vector<MessageRecord> messages;
  std::vector<LogRecord> logs;
  size_t messages_omitted = 0, logs_omitted = 0;
  int exit_code = 0;     // design §10: 0, 1 safety, 4 liveness, 5 unknown
  bool as_expected = true;  // the checks that failed are exactly spec.expect
};

// kInvalidArgument when the spec and the registry disagree (the spec was
// validated by LoadScenario; this guards specs built by hand).
Result<RunResult> RunScenario(const ScenarioSpec& spec, const ModelRegistry& models, const RunOptions& options);

}  // namespace faultline::scenario
