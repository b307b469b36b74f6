// Fuzzes the history readers (EDN, Jepsen log lines), pairing and the
// linearizability search: whatever the input, a reader returns a history or
// an error naming the source; what it accepts writes back as EDN that reads
// to the same operations; pairing and checking end in a verdict or an
// error, within a deterministic step budget; the report of any result
// renders, within its size bound.
#include <string>
#include <string_view>

#include "sim/check/models.h"
#include "sim/history/formats.h"
#include "sim/history/jsonl.h"
#include "sim/report/check_report.h"
#include "tests/fuzz/fuzz_target.h"

namespace faultline {

FAULTLINE_FUZZ_TARGET(FuzzHistory) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (HistoryFormat format : {HistoryFormat::kAuto, HistoryFormat::kJsonl, HistoryFormat::kEdn,
                               HistoryFormat::kJepsenLog}) {
    Result<History> h = ReadHistory(text, "fuzz.edn", format);
    if (!h.ok()) {
      FUZZ_CHECK(h.code() == Error::kInvalidArgument &&
                 h.status().message().rfind("fuzz.edn", 0) == 0);
      continue;
    }
    for (bool jsonl : {false, true}) {
      Result<History> again = jsonl ? ReadHistory(WriteJsonl(*h), "again.jsonl", HistoryFormat::kJsonl)
                                    : ReadHistory(WriteEdn(*h), "again.edn", HistoryFormat::kEdn);
      FUZZ_CHECK(again.ok() && again->ops.size() == h->ops.size());
      for (size_t i = 0; i < h->ops.size(); ++i) {
        const Op& a = h->ops[i];
        const Op& b = again->ops[i];
        FUZZ_CHECK(a.type == b.type && a.f == b.f && a.process == b.process &&
                   a.process_name == b.process_name && a.key == b.key && a.value == b.value);
      }
    }
    Result<std::vector<Operation>> ops = PairOperations(*h);
    if (!ops.ok()) {
      FUZZ_CHECK(ops.code() == Error::kInvalidArgument);
      continue;
    }
    for (const char* name : {"cas-register", "kv-append"}) {
      int polls = 0;
      CheckBudget budget;
      budget.out_of_time = [&polls] { return ++polls > 64; };  // 64k steps
      budget.memory_bytes = 64 << 20;
      Result<CheckResult> r = CheckLinearizable(*ops, **FindModel(name), {}, budget);
      FUZZ_CHECK(r.ok() || r.code() == Error::kInvalidArgument);
      if (!r.ok()) continue;
      CheckReportOptions small;
      small.max_ops = 8;  // windows, merging and clipping on small inputs
      for (const CheckReportOptions& o : {CheckReportOptions{}, small}) {
        const std::string page = RenderCheckReport(CheckReportInput{"fuzz", name, &*h, &*ops, &*r}, o);
        // Whole, and filled once: history text (even the slot's own
        // marker) only ever lands inside the data.
        FUZZ_CHECK(page.size() < (5u << 20) && page.rfind("<!DOCTYPE html>", 0) == 0 &&
                   page.size() > 8 && page.compare(page.size() - 8, 8, "</html>\n") == 0);
      }
    }
  }
  return 0;
}

}  // namespace faultline
