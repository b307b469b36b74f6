// The run directory of design §10, written all at once: every file goes
// into DIR.partial first, which is renamed to DIR only when all are
// complete, so a failed or interrupted write never leaves a half-written
// run directory behind. An existing DIR is replaced.
//
//   summary.json   report.Summary (summary.proto), protobuf's JSON printer
//   history.jsonl  the client history (docs/history-format.md)
//   repro.lua      the scenario with its faults as an explicit schedule
//   events.log     the per-event hash log, for replay's divergence report
//   trace.json     the run for Perfetto / chrome://tracing (trace_json.h)
//   report.html    the page a person reads (run_report.h)
#pragma once

#include <string>

#include "sim/core/status.h"
#include "sim/report/summary.pb.h"
#include "sim/scenario/runner.h"

namespace faultline::report {

struct RunDirInfo {
  double wall_ms = 0;
  std::string replay;  // the command that replays the run
};

Summary SummaryMessage(const scenario::RunResult& run, const RunDirInfo& info);
std::string SummaryJson(const scenario::RunResult& run, const RunDirInfo& info);
Status WriteRunDir(const scenario::RunResult& run, const RunDirInfo& info, const std::string& dir);

// events.log: one line per event, "index time_ns kind node hash" (hex
// hash); and back. Bad lines are an error naming the line.
std::string WriteEventLog(const std::vector<TraceEntry>& log);
Result<std::vector<TraceEntry>> ReadEventLog(std::string_view text, const std::string& source);

}  // namespace faultline::report
