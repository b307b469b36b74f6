// trace.json (design §10): a run as a Chrome/Perfetto trace. One track per
// node (servers, then client nodes) and one per client process; each
// client operation a slice on its process's track; each message a flow
// from a slice on the sender to one on the receiver (dropped ones end in
// an instant naming why); each fault window a slice on the "faults" track;
// node log lines as instants. Times are virtual, in microseconds.
#pragma once

#include <string>

#include "sim/scenario/runner.h"

namespace faultline::report {

struct TraceJsonOptions {
  size_t max_messages = 100'000;  // flows drawn; the rest are counted in the metadata
};

std::string TraceJson(const scenario::RunResult& run, const TraceJsonOptions& options = {});

}  // namespace faultline::report
