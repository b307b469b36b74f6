// The Markdown `faultline compare` prints (design §10, issue 7): for each
// value of the varied parameters, over the same seeds, the violations each
// check found, the availability of each operation kind while faults were
// active, pooled p50/p99 latency in virtual time, and messages per
// operation. Ready to paste into an architecture decision record.
#pragma once

#include <string>
#include <vector>

#include "sim/report/sweep.pb.h"

namespace faultline::report {

struct CompareColumn {
  std::string label;                 // "mode=lease"
  SweepSummary summary;
  std::vector<SeedResult> results;   // sorted by seed
};

// `command` is quoted under the title, so the table says how to remake it.
std::string CompareMarkdown(const std::string& command, const std::vector<CompareColumn>& columns);

// "12.3 ms", "1.20 s", "850 µs": three significant digits at most.
std::string ShortDuration(int64_t ns);

}  // namespace faultline::report
