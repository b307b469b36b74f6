// The HTML report of one linearizability check (design §7, §11): a single
// self-contained page (no network, no external files) with one lane per
// process, each operation a bar over its call..return, the linearization
// found (or the longest linearizable prefix) drawn through the bars, and the
// operations that could not be linearized highlighted.
//
// Size is bounded whatever the history's length: the page shows at most
// `max_ops` operations, in windows around each violation (or the start of
// the history when there is none), and long values and keys are shortened.
// With the defaults a page stays under 5 MB (tests/unit/report).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

struct CheckReportOptions {
  size_t max_ops = 16000;          // operations drawn, over all windows
  size_t max_value_chars = 48;     // values and keys longer than this are cut, with "…"
  size_t max_partition_rows = 200; // rows of the partition table (non-ok rows first)
  size_t max_nemesis_per_window = 400;
};

// A stretch of the history the page draws: history positions [from, to)
// and the operations shown in it (ids, ascending). Operations reaching
// outside the stretch are clipped at its edges, except the evidence (stuck
// operations and the end of the prefix), for which the stretch grows.
struct ReportWindow {
  int64_t from = 0;
  int64_t to = 0;
  std::string why;  // "the violation in key \"x\"", "the whole history", ...
  std::vector<size_t> ops;
};

// The windows, chosen deterministically from the result: one around each
// violating partition's stuck operations (with context before it, and the
// stuck operations and the end of its prefix always included: up to 64
// more than max_ops per window), merged where they overlap; else around
// unknown partitions; else the history's start.
std::vector<ReportWindow> ChooseReportWindows(const std::vector<Operation>& ops,
                                              const CheckResult& result,
                                              const CheckReportOptions& options);

struct CheckReportInput {
  std::string source;  // the history file, for the title
  std::string model;
  const History* history = nullptr;  // nemesis events and times
  const std::vector<Operation>* ops = nullptr;
  const CheckResult* result = nullptr;
};

// The page, ready to write to a file.
std::string RenderCheckReport(const CheckReportInput& in, const CheckReportOptions& options = {});

}  // namespace faultline
