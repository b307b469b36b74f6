#include "sim/report/trace_json.h"

#include <google/protobuf/util/json_util.h>

#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/report/run_view.h"
#include "sim/report/trace.pb.h"

namespace faultline::report {
namespace {

constexpr uint32_t kNodes = 1, kClients = 2, kFaults = 3;

double Us(int64_t ns) { return static_cast<double>(ns) / 1000.0; }

void Arg(TraceEvent* e, const std::string& k, const std::string& v) {
  (*e->mutable_args()->mutable_fields())[k].set_string_value(v);
}

TraceEvent* Add(ChromeTrace& t, const std::string& name, const char* ph, uint32_t pid, uint32_t tid, int64_t ts_ns) {
  TraceEvent* e = t.add_traceevents();
  e->set_name(name);
  e->set_ph(ph);
  e->set_pid(pid);
  e->set_tid(tid);
  e->set_ts(Us(ts_ns));
  return e;
}

void Meta(ChromeTrace& t, const char* what, uint32_t pid, uint32_t tid, const std::string& name) {
  TraceEvent* e = t.add_traceevents();
  e->set_name(what);
  e->set_ph("M");
  e->set_pid(pid);
  e->set_tid(tid);
  Arg(e, "name", name);
}

const char* FateName(MessageRecord::Fate f) {
  switch (f) {
    case MessageRecord::kDelivered: return "delivered";
    case MessageRecord::kLost: return "lost on the wire";
    case MessageRecord::kCut: return "cut by a partition";
    case MessageRecord::kDown: return "destination down";
  }
  return "?";
}

}  // namespace

std::string TraceJson(const scenario::RunResult& run, const TraceJsonOptions& options) {
  ChromeTrace t;
  t.set_displaytimeunit("ms");
  Meta(t, "process_name", kNodes, 0, "nodes");
  Meta(t, "process_name", kClients, 0, "client processes");
  Meta(t, "process_name", kFaults, 0, "faults");
  for (size_t i = 0; i < run.node_names.size(); ++i) Meta(t, "thread_name", kNodes, static_cast<uint32_t>(i + 1), run.node_names[i]);
  Meta(t, "thread_name", kFaults, 1, "faults");

  // Client operations, one track per process.
  absl::btree_map<int64_t, uint32_t> lanes;
  for (const OpSpan& op : OpSpans(run.history, run.end_ns)) {
    auto [it, fresh] = lanes.emplace(op.process, static_cast<uint32_t>(lanes.size() + 1));
    if (fresh) Meta(t, "thread_name", kClients, it->second, Cat("process ", op.process));
    TraceEvent* e = Add(t, Cat(op.f, " ", op.key), "X", kClients, it->second, op.from_ns);
    e->set_dur(Us(op.to_ns - op.from_ns));
    e->set_cat(op.outcome);
    Arg(e, "outcome", op.outcome);
    Arg(e, "value", op.value);
    Arg(e, "history index", Cat(op.invoke));
    if (!op.node.empty()) Arg(e, "served by", op.node);
  }

  // Messages as flows between node tracks.
  uint32_t flow = 0;
  for (const MessageRecord& m : run.messages) {
    if (flow >= options.max_messages) break;
    ++flow;
    const uint32_t from = m.from.value + 1, to = m.to.value + 1;
    const std::string& to_name = run.node_names.at(m.to.value);
    TraceEvent* send = Add(t, Cat("send to ", to_name), "X", kNodes, from, m.sent.nanos());
    send->set_dur(1);
    send->set_cat("message");
    Arg(send, "bytes", Cat(m.bytes));
    TraceEvent* s = Add(t, "message", "s", kNodes, from, m.sent.nanos());
    s->set_id(flow);
    s->set_cat("message");
    if (m.fate == MessageRecord::kDelivered) {
      TraceEvent* recv = Add(t, Cat("from ", run.node_names.at(m.from.value)), "X", kNodes, to, m.at.nanos());
      recv->set_dur(1);
      recv->set_cat("message");
      TraceEvent* f = Add(t, "message", "f", kNodes, to, m.at.nanos());
      f->set_id(flow);
      f->set_bp("e");
      f->set_cat("message");
    } else {
      TraceEvent* drop = Add(t, Cat("dropped: ", FateName(m.fate)), "i", kNodes, from, m.at.nanos());
      drop->set_s("t");
      drop->set_cat("dropped");
      Arg(drop, "to", to_name);
    }
  }

  for (const FaultWindow& w : FaultWindows(run.faults, run.end_ns)) {
    TraceEvent* e = Add(t, Cat(w.kind, w.target.empty() ? "" : " ", w.target), "X", kFaults, 1, w.from_ns);
    e->set_dur(std::max(1.0, Us(w.to_ns - w.from_ns)));
    e->set_cat("fault");
    Arg(e, "detail", w.detail);
  }
  for (const LogRecord& r : run.logs) {
    if (!r.node.valid()) continue;
    TraceEvent* e = Add(t, r.event, "i", kNodes, r.node.value + 1, r.at.nanos());
    e->set_s("t");
    e->set_cat("log");
    for (const LogField& f : r.fields) Arg(e, f.key, f.value);
  }
  if (flow < run.messages.size() || run.messages_omitted > 0) {
    TraceEvent* e = Add(t, "messages not drawn", "i", kNodes, 0, 0);
    e->set_s("g");
    Arg(e, "count", Cat(run.messages.size() - flow + run.messages_omitted));
  }

  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(t, &out, o);
  SIM_ASSERT_MSG(status.ok(), "a ChromeTrace always prints as JSON");
  return out;
}

}  // namespace faultline::report
