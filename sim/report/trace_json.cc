#include "sim/report/trace_json.h"

#include <string_view>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/history/jsonl.h"
#include "sim/report/run_view.h"

namespace faultline::report {
namespace {

constexpr uint32_t kNodes = 1, kClients = 2, kFaults = 3;

// One trace event. Fields left at their zero value are not written, as
// the format allows (and as protobuf's printer did before ADR 0015).
struct Event {
  std::string_view name, cat, ph;
  int64_t ts_ns = 0, dur_ns = 0;  // written in microseconds
  uint32_t pid = 0, tid = 0, id = 0;
  std::string_view bp, s;
  // In the order given: the file is the same bytes on every run.
  absl::InlinedVector<std::pair<std::string_view, std::string_view>, 4> args;
};

// The trace's JSON, written directly: one object, events in the order
// written (ADR 0015).
class TraceWriter {
 public:
  TraceWriter() { out_ = "{\"traceEvents\":["; }

  void Write(const Event& e) {
    out_ += first_event_ ? "{" : ",{";
    first_event_ = false;
    first_field_ = true;
    String("name", e.name);
    String("cat", e.cat);
    String("ph", e.ph);
    Micros("ts", e.ts_ns);
    Micros("dur", e.dur_ns);
    Number("pid", e.pid);
    Number("tid", e.tid);
    Number("id", e.id);
    String("bp", e.bp);
    String("s", e.s);
    if (!e.args.empty()) {
      Key("args");
      out_ += '{';
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) out_ += ',';
        AppendJsonQuoted(&out_, e.args[i].first);
        out_ += ':';
        AppendJsonQuoted(&out_, e.args[i].second);
      }
      out_ += '}';
    }
    out_ += '}';
  }

  std::string Finish() && {
    out_ += "],\"displayTimeUnit\":\"ms\"}";
    return std::move(out_);
  }

 private:
  void Key(std::string_view k) {
    if (!first_field_) out_ += ',';
    first_field_ = false;
    out_ += '"';
    out_ += k;  // the format's own names: nothing to escape
    out_ += "\":";
  }
  void String(std::string_view k, std::string_view v) {
    if (v.empty()) return;
    Key(k);
    AppendJsonQuoted(&out_, v);
  }
  void Number(std::string_view k, uint32_t v) {
    if (v == 0) return;
    Key(k);
    absl::StrAppend(&out_, v);
  }
  // Nanoseconds as microseconds, exactly: 12639953 -> 12639.953, 4000000 -> 4000.
  void Micros(std::string_view k, int64_t ns) {
    if (ns == 0) return;
    SIM_ASSERT_MSG(ns > 0, "trace times are not negative");
    Key(k);
    absl::StrAppend(&out_, ns / 1000);
    int frac = static_cast<int>(ns % 1000);
    if (frac == 0) return;
    char digits[4] = {'.', static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                      static_cast<char>('0' + frac % 10)};
    size_t n = 4;
    while (digits[n - 1] == '0') --n;
    out_.append(digits, n);
  }

  std::string out_;
  bool first_event_ = true, first_field_ = true;
};

void Meta(TraceWriter& w, std::string_view what, uint32_t pid, uint32_t tid, std::string_view name) {
  w.Write({.name = what, .ph = "M", .pid = pid, .tid = tid, .args = {{"name", name}}});
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

void WriteOperations(TraceWriter& w, const scenario::RunResult& run) {
  // One track per client process.
  absl::btree_map<int64_t, uint32_t> lanes;
  for (const OpSpan& op : OpSpans(run.history, run.end_ns)) {
    auto [it, fresh] = lanes.emplace(op.process, static_cast<uint32_t>(lanes.size() + 1));
    if (fresh) Meta(w, "thread_name", kClients, it->second, Cat("process ", op.process));
    const std::string name = Cat(op.f, " ", op.key), index = Cat(op.invoke);
    Event e{.name = name, .cat = op.outcome, .ph = "X", .ts_ns = op.from_ns, .dur_ns = op.to_ns - op.from_ns,
            .pid = kClients, .tid = it->second,
            .args = {{"outcome", op.outcome}, {"value", op.value}, {"history index", index}}};
    if (!op.node.empty()) e.args.emplace_back("served by", op.node);
    w.Write(e);
  }
}

// Messages as flows between node tracks; returns how many were drawn.
size_t WriteMessages(TraceWriter& w, const scenario::RunResult& run, size_t max) {
  uint32_t flow = 0;
  for (const MessageRecord& m : run.messages) {
    if (flow >= max) break;
    ++flow;
    const uint32_t from = m.from.value + 1, to = m.to.value + 1;
    const std::string& to_name = run.node_names.at(m.to.value);
    const std::string send = Cat("send to ", to_name), bytes = Cat(m.bytes);
    const int64_t sent = m.sent.nanos(), at = m.at.nanos();
    w.Write({.name = send, .cat = "message", .ph = "X", .ts_ns = sent, .dur_ns = 1000, .pid = kNodes, .tid = from,
             .args = {{"bytes", bytes}}});
    w.Write({.name = "message", .cat = "message", .ph = "s", .ts_ns = sent, .pid = kNodes, .tid = from, .id = flow});
    if (m.fate == MessageRecord::kDelivered) {
      const std::string recv = Cat("from ", run.node_names.at(m.from.value));
      w.Write({.name = recv, .cat = "message", .ph = "X", .ts_ns = at, .dur_ns = 1000, .pid = kNodes, .tid = to});
      w.Write({.name = "message", .cat = "message", .ph = "f", .ts_ns = at, .pid = kNodes, .tid = to, .id = flow,
               .bp = "e"});
    } else {
      const std::string drop = Cat("dropped: ", FateName(m.fate));
      w.Write({.name = drop, .cat = "dropped", .ph = "i", .ts_ns = at, .pid = kNodes, .tid = from, .s = "t",
               .args = {{"to", to_name}}});
    }
  }
  return flow;
}

}  // namespace

std::string TraceJson(const scenario::RunResult& run, const TraceJsonOptions& options) {
  TraceWriter w;
  Meta(w, "process_name", kNodes, 0, "nodes");
  Meta(w, "process_name", kClients, 0, "client processes");
  Meta(w, "process_name", kFaults, 0, "faults");
  for (size_t i = 0; i < run.node_names.size(); ++i) Meta(w, "thread_name", kNodes, static_cast<uint32_t>(i + 1), run.node_names[i]);
  Meta(w, "thread_name", kFaults, 1, "faults");
  WriteOperations(w, run);
  const size_t drawn = WriteMessages(w, run, options.max_messages);
  for (const FaultWindow& f : FaultWindows(run.faults, run.end_ns)) {
    const std::string name = Cat(f.kind, f.target.empty() ? "" : " ", f.target);
    w.Write({.name = name, .cat = "fault", .ph = "X", .ts_ns = f.from_ns, .dur_ns = std::max<int64_t>(1000, f.to_ns - f.from_ns),
             .pid = kFaults, .tid = 1, .args = {{"detail", f.detail}}});
  }
  for (const LogRecord& r : run.logs) {
    if (!r.node.valid()) continue;
    Event e{.name = r.event, .cat = "log", .ph = "i", .ts_ns = r.at.nanos(), .pid = kNodes, .tid = r.node.value + 1, .s = "t"};
    for (const LogField& f : r.fields) e.args.emplace_back(f.key, f.value);
    w.Write(e);
  }
  if (drawn < run.messages.size() || run.messages_omitted > 0) {
    const std::string count = Cat(run.messages.size() - drawn + run.messages_omitted);
    w.Write({.name = "messages not drawn", .ph = "i", .pid = kNodes, .s = "g", .args = {{"count", count}}});
  }
  return std::move(w).Finish();
}

}  // namespace faultline::report
