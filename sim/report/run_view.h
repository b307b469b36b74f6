// What the trace and the report draw from a finished run, computed once:
// fault windows (a partition until its heal, a crash until its restart...)
// and each client operation as one span. Pure functions of a RunResult.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/runner.h"

namespace faultline::report {

struct FaultWindow {
  int64_t from_ns = 0, to_ns = 0;  // to == from: an instant (a clock jump)
  std::string kind, target, detail;
};

// Each applied fault as a window: partition..heal (or the next partition),
// crash..restart, pause..resume, skew..its reset, full disk..off, slow
// disk..0; anything still open ends at `end_ns`.
std::vector<FaultWindow> FaultWindows(const std::vector<FaultRecord>& faults, int64_t end_ns);

struct OpSpan {
  size_t invoke = 0;       // history index of the invocation
  int64_t process = 0;
  std::string f, key, value, node;
  int64_t from_ns = 0, to_ns = 0;
  std::string outcome;     // "ok", "fail", "info" (to_ns: its completion, or the end)
};

std::vector<OpSpan> OpSpans(const History& h, int64_t end_ns);

}  // namespace faultline::report
