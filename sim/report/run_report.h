// report.html of a run directory (design §10): one self-contained page (no
// network, no other files) with the client-operation timeline, fault
// windows shaded over it, each violation's evidence outlined, latency and
// availability over virtual time, the faults applied and the nodes' log
// lines. The page (run_report.html) is embedded at build time and filled
// with a RunReport (run_report.proto) as JSON (ADR 0005's approach).
//
// Size is bounded: at most `max_ops` operations (the evidence always
// among them) and `max_logs` log lines; the counts left out are shown.
#pragma once

#include <string>

#include "sim/report/run_dir.h"

namespace faultline::report {

struct RunReportOptions {
  size_t max_ops = 20'000;
  size_t max_logs = 20'000;
};

std::string RenderRunReport(const scenario::RunResult& run, const RunDirInfo& info, const RunReportOptions& options = {});

}  // namespace faultline::report
