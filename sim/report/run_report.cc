#include "sim/report/run_report.h"

#include "absl/container/btree_set.h"
#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/report/page.h"
#include "sim/report/proto_json.h"
#include "sim/report/run_report.pb.h"
#include "sim/report/run_view.h"

namespace faultline {
extern const std::string_view kRunReportPage;  // run_report.html, embedded at build time
}

namespace faultline::report {
namespace {

constexpr std::string_view kSlot = "/*FAULTLINE_DATA*/";

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }


}  // namespace

std::string RenderRunReport(const scenario::RunResult& run, const RunDirInfo& info, const RunReportOptions& options) {
  RunReport r;
  *r.mutable_summary() = SummaryMessage(run, info);
  absl::btree_set<size_t> evidence;
  for (const scenario::CheckOutcome& c : run.checks) evidence.insert(c.ops.begin(), c.ops.end());
  size_t omitted = 0;
  for (const OpSpan& op : OpSpans(run.history, run.end_ns)) {
    if (static_cast<size_t>(r.ops_size()) >= options.max_ops && !evidence.contains(op.invoke)) {
      ++omitted;
      continue;
    }
    ReportOp* o = r.add_ops();
    o->set_invoke(static_cast<uint32_t>(op.invoke));
    o->set_process(op.process);
    o->set_f(op.f);
    o->set_key(op.key);
    o->set_value(op.value);
    o->set_from_ms(Ms(op.from_ns));
    o->set_to_ms(Ms(op.to_ns));
    o->set_outcome(op.outcome);
    o->set_node(op.node);
  }
  r.set_ops_omitted(omitted);
  for (const FaultWindow& w : FaultWindows(run.faults, run.end_ns)) {
    ReportWindow* o = r.add_faults();
    o->set_from_ms(Ms(w.from_ns));
    o->set_to_ms(Ms(w.to_ns));
    o->set_kind(w.kind);
    o->set_target(w.target);
    o->set_detail(w.detail);
  }
  size_t logs = 0;
  for (const LogRecord& l : run.logs) {
    if (logs++ >= options.max_logs) break;
    ReportLog* o = r.add_logs();
    o->set_at_ms(Ms(l.at.nanos()));
    const std::string name = l.node.valid() && l.node.value < run.node_names.size() ? run.node_names[l.node.value] : "-";
    o->set_node(name);
    std::string text = l.event;
    for (const LogField& f : l.fields) text += Cat(" ", f.key, "=", f.value);
    o->set_text(std::move(text));
  }
  r.set_logs_omitted(run.logs.size() - std::min(run.logs.size(), options.max_logs) + run.logs_omitted);
  r.set_workload_end_ms(Ms(run.workload_end_ns));
  r.set_end_ms(Ms(run.end_ns));

  const std::string json = JsonLine(r);
  const size_t at = kRunReportPage.find(kSlot);
  SIM_ASSERT_MSG(at != std::string_view::npos, "run_report.html has no data slot");
  return Cat(kRunReportPage.substr(0, at), JsonForScript(json), kRunReportPage.substr(at + kSlot.size()));
}

}  // namespace faultline::report
