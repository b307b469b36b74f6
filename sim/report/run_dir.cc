#include "sim/report/run_dir.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/core/strings.h"
#include "sim/history/jsonl.h"
#include "sim/report/proto_json.h"
#include "sim/report/run_report.h"
#include "sim/report/trace_json.h"
#include "sim/scenario/repro.h"

namespace faultline::report {
namespace {

namespace fs = std::filesystem;

Status WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Status(Error::kIoError, Cat(path.string(), ": cannot write"));
  return Status::Ok();
}

void Fill(const scenario::RunResult& run, const RunDirInfo& info, Summary* s) {
  const scenario::ScenarioSpec& spec = run.spec;
  s->set_scenario(spec.name);
  s->set_file(spec.file);
  s->set_model(spec.model);
  s->set_seed(run.seed);
  for (const auto& [k, v] : run.params) {
    Param* p = s->add_params();
    p->set_name(k);
    p->set_value(v);
  }
  s->set_trace_hash(HexWord(run.trace_hash));
  s->set_unseed(HexWord(run.unseed));
  s->set_sim_ns(run.end_ns);
  s->set_wall_ms(info.wall_ms);
  s->set_events(run.events);
  Messages* m = s->mutable_messages();
  m->set_sent(run.net.sent);
  m->set_delivered(run.net.delivered);
  m->set_dropped(run.net.dropped());
  m->set_dropped_partition(run.net.dropped_partition);
  m->set_dropped_loss(run.net.dropped_loss);
  m->set_dropped_down(run.net.dropped_down);
  m->set_duplicated(run.net.duplicated);
  s->mutable_ops()->set_ok(run.ok);
  s->mutable_ops()->set_fail(run.fail);
  s->mutable_ops()->set_info(run.info);
  Latency* l = s->mutable_latency();
  l->set_count(run.latency.count);
  l->set_p50_ns(run.latency.p50_ns);
  l->set_p99_ns(run.latency.p99_ns);
  l->set_max_ns(run.latency.max_ns);
  for (const scenario::CheckOutcome& c : run.checks) {
    CheckVerdict* v = s->add_checks();
    v->set_name(c.name);
    v->set_verdict(std::string(VerdictName(c.verdict)));
    v->set_liveness(c.liveness);
    v->set_message(c.message);
    for (const std::string& e : c.evidence) v->add_evidence(e);
    for (size_t op : c.ops) v->add_ops(op);
    v->set_first_violation_ns(c.first_violation_ns);
    v->set_expected_to_fail(std::find(spec.expect.begin(), spec.expect.end(), c.name) != spec.expect.end());
  }
  for (const FaultRecord& f : run.faults) {
    AppliedFault* a = s->add_faults();
    a->set_at_ns(f.at.nanos());
    a->set_kind(f.kind);
    a->set_target(f.target);
    a->set_detail(f.detail);
  }
  for (const std::string& k : run.skipped) s->add_skipped_faults(k);
  for (const std::string& e : spec.expect) s->add_expected_failures(e);
  s->set_as_expected(run.as_expected);
  s->set_exit_code(run.exit_code);
  s->set_replay(info.replay);
  for (const std::string& k : run.enabled_kinds) s->add_nemesis_kinds(k);
}

}  // namespace

Summary SummaryMessage(const scenario::RunResult& run, const RunDirInfo& info) {
  Summary s;
  Fill(run, info, &s);
  return s;
}

std::string SummaryJson(const scenario::RunResult& run, const RunDirInfo& info) { return JsonPretty(SummaryMessage(run, info)); }

std::string WriteEventLog(const std::vector<TraceEntry>& log) {
  std::string out;
  out.reserve(log.size() * 40);
  char line[96];
  for (const TraceEntry& e : log) {
    std::snprintf(line, sizeof line, "%" PRIu64 " %" PRId64 " %d %u %016" PRIx64 "\n", e.index, e.at.nanos(),
                  static_cast<int>(e.kind), e.node.value, e.hash);
    out += line;
  }
  return out;
}

Result<std::vector<TraceEntry>> ReadEventLog(std::string_view text, const std::string& source) {
  std::vector<TraceEntry> log;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string line(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    uint64_t index = 0, hash = 0;
    int64_t at = 0;
    int kind = 0;
    unsigned node = 0;
    char tail = 0;
    if (std::sscanf(line.c_str(), "%" SCNu64 " %" SCNd64 " %d %u %" SCNx64 "%c", &index, &at, &kind, &node, &hash, &tail) != 5) {
      return InvalidArgument(Cat(source, ":", line_no, ": expected \"index time_ns kind node hash\", got \"", line, "\""));
    }
    log.push_back(TraceEntry{index, Time::Zero() + Duration::Nanos(at), static_cast<EventKind>(kind), NodeId(node), hash});
  }
  return log;
}

Status WriteRunDir(const scenario::RunResult& run, const RunDirInfo& info, const std::string& dir) {
  const fs::path final_dir(dir);
  const fs::path partial(dir + ".partial");
  std::error_code ec;
  fs::remove_all(partial, ec);
  if (!fs::create_directories(partial, ec) || ec) {
    return Status(Error::kIoError, Cat(partial.string(), ": cannot create the run directory (", ec.message(), ")"));
  }
  const std::pair<const char*, std::string> files[] = {
      {"summary.json", SummaryJson(run, info)},
      {"history.jsonl", WriteJsonl(run.history)},
      {"repro.lua", scenario::WriteRepro(run)},
      {"events.log", WriteEventLog(run.trace_log)},
      {"trace.json", TraceJson(run)},
      {"report.html", RenderRunReport(run, info)},
  };
  for (const auto& [name, text] : files) {
    if (Status s = WriteFile(partial / name, text); !s.ok()) {
      fs::remove_all(partial, ec);
      return s;
    }
  }
  fs::remove_all(final_dir, ec);
  fs::rename(partial, final_dir, ec);
  if (ec) return Status(Error::kIoError, Cat(dir, ": cannot move the finished run directory into place (", ec.message(), ")"));
  return Status::Ok();
}

}  // namespace faultline::report
