#include "sim/report/check_report.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "sim/check/models.h"
#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/core/utf8.h"
#include "sim/history/jsonl.h"
#include "sim/report/page.h"

namespace faultline {

extern const std::string_view kCheckReportPage;  // check_report.html, embedded at build time

namespace {

// What the page says about one operation; the page's legend uses the same
// codes (check_report.html, `STATUS`).
enum class OpStatus : uint8_t {
  kLinearized = 0,  // in the linearization of an ok partition
  kPrefix = 1,      // in the longest linearizable prefix of a violating one
  kStuck = 2,       // could not come next after that prefix
  kNotReached = 3,  // in a violating partition, after the point the search reached
  kDropped = 4,     // info: the linearization leaves it out (it never took effect)
  kUnknown = 5,     // in a partition the checker could not decide
};

struct OpFacts {
  std::vector<uint32_t> part;   // partition index, per operation id
  std::vector<OpStatus> status;
  std::vector<int64_t> order;   // position in the linearization or prefix; -1 if none
};

// Partitions are keyed as CheckLinearizable keys them; a single partition
// holds everything (an unkeyed model, or --no-partition).
std::vector<uint32_t> PartitionOf(const std::vector<Operation>& ops, const CheckResult& r) {
  std::vector<uint32_t> part(ops.size(), 0);
  if (r.partitions.size() <= 1) return part;
  absl::btree_map<std::string, uint32_t> index;
  for (size_t i = 0; i < r.partitions.size(); ++i) index[r.partitions[i].key] = static_cast<uint32_t>(i);
  for (const Operation& op : ops) {
    auto it = index.find(op.key.value_or(""));
    SIM_ASSERT_MSG(it != index.end(), "an operation's key has no partition");
    part[op.id] = it->second;
  }
  return part;
}

OpFacts Facts(const std::vector<Operation>& ops, const CheckResult& r) {
  OpFacts f;
  f.part = PartitionOf(ops, r);
  f.status.assign(ops.size(), OpStatus::kNotReached);
  f.order.assign(ops.size(), -1);
  for (const Operation& op : ops) {
    const Verdict v = r.partitions.empty() ? Verdict::kOk : r.partitions[f.part[op.id]].verdict;
    if (v == Verdict::kOk) f.status[op.id] = OpStatus::kDropped;  // unless linearized, below
    if (v == Verdict::kUnknown) f.status[op.id] = OpStatus::kUnknown;
  }
  for (const PartitionResult& p : r.partitions) {
    const bool ok = p.verdict == Verdict::kOk;
    const std::vector<size_t>& seq = ok ? p.linearization : p.longest_prefix;
    for (size_t k = 0; k < seq.size(); ++k) {
      f.status[seq[k]] = ok ? OpStatus::kLinearized : OpStatus::kPrefix;
      f.order[seq[k]] = static_cast<int64_t>(k);
    }
    for (size_t id : p.stuck) f.status[id] = OpStatus::kStuck;
  }
  return f;
}

int64_t HistoryEnd(const std::vector<Operation>& ops) {
  int64_t end = 0;
  for (const Operation& op : ops) end = std::max({end, op.call + 1, op.complete_pos + 1});
  return end;
}

struct Anchor {
  size_t op;  // the window is placed around this operation
  std::string why;
  std::vector<size_t> extra;  // operations shown even if outside the window
};

std::string KeyLabel(const PartitionResult& p) {
  return p.key.empty() ? "" : Cat(" in key ", Value::String(p.key).ToEdn());
}

std::vector<Anchor> Anchors(const std::vector<Operation>& ops, const CheckResult& r) {
  constexpr size_t kMaxAnchors = 16, kPrefixTail = 16, kMaxExtra = 64;
  std::vector<Anchor> out;
  for (const PartitionResult& p : r.partitions) {
    if (p.verdict != Verdict::kViolation || p.stuck.empty() || out.size() == kMaxAnchors) continue;
    Anchor a{*std::min_element(p.stuck.begin(), p.stuck.end()), Cat("the violation", KeyLabel(p)), {}};
    for (size_t id : p.stuck) a.extra.push_back(id);
    const size_t tail = p.longest_prefix.size() > kPrefixTail ? p.longest_prefix.size() - kPrefixTail : 0;
    for (size_t k = tail; k < p.longest_prefix.size(); ++k) a.extra.push_back(p.longest_prefix[k]);
    if (a.extra.size() > kMaxExtra) a.extra.resize(kMaxExtra);
    out.push_back(std::move(a));
  }
  if (!out.empty()) return out;
  // No violation: show where the checker gave up, if it did.
  absl::btree_map<std::string, size_t> first;  // key -> first operation
  for (const Operation& op : ops) first.emplace(op.key.value_or(""), op.id);
  for (const PartitionResult& p : r.partitions) {
    if (p.verdict != Verdict::kUnknown || out.size() == kMaxAnchors) continue;
    const size_t op = r.partitions.size() == 1 ? 0 : first[p.key];
    out.push_back(Anchor{op, Cat("the undecided part", KeyLabel(p)), {}});
  }
  return out;
}

}  // namespace

std::vector<ReportWindow> ChooseReportWindows(const std::vector<Operation>& ops,
                                              const CheckResult& result,
                                              const CheckReportOptions& options) {
  const size_t n = ops.size();
  const int64_t end = HistoryEnd(ops);
  if (n <= options.max_ops) {
    ReportWindow w{0, end, "the whole history", {}};
    for (size_t i = 0; i < n; ++i) w.ops.push_back(i);
    return {w};
  }
  std::vector<Anchor> anchors = Anchors(ops, result);
  if (anchors.empty()) {
    anchors.push_back(Anchor{0, Cat("the first ", options.max_ops, " of ", n, " operations"), {}});
  }
  // Ranges of operation ids (ids are in invocation order), most of the
  // context before the anchor: that is where the prefix led up to it.
  const size_t per = std::max<size_t>(1, options.max_ops / anchors.size());
  struct Range {
    size_t lo, hi;
    std::string why;
    std::vector<size_t> extra;
  };
  std::vector<Range> ranges;
  for (Anchor& a : anchors) {
    const size_t hi = std::min(n, (a.op > per * 3 / 4 ? a.op - per * 3 / 4 : 0) + per);
    const size_t lo = hi > per ? hi - per : 0;
    ranges.push_back(Range{lo, hi, std::move(a.why), std::move(a.extra)});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  std::vector<Range> merged;
  for (Range& r : ranges) {
    if (!merged.empty() && r.lo <= merged.back().hi) {
      Range& m = merged.back();
      m.hi = std::max(m.hi, r.hi);
      if (m.why != r.why) Append(&m.why, "; ", r.why);
      m.extra.insert(m.extra.end(), r.extra.begin(), r.extra.end());
    } else {
      merged.push_back(std::move(r));
    }
  }
  std::vector<ReportWindow> out;
  for (Range& r : merged) {
    ReportWindow w{ops[r.lo].call, r.hi < n ? ops[r.hi].call : end, std::move(r.why), {}};
    for (size_t i = r.lo; i < r.hi; ++i) w.ops.push_back(i);
    for (size_t id : r.extra) {  // the stretch grows to show them whole
      w.ops.push_back(id);
      w.from = std::min(w.from, ops[id].call);
      const int64_t done = ops[id].info ? ops[id].complete_pos : ops[id].ret;
      w.to = std::max(w.to, done + 1);
    }
    std::sort(w.ops.begin(), w.ops.end());
    w.ops.erase(std::unique(w.ops.begin(), w.ops.end()), w.ops.end());
    out.push_back(std::move(w));
  }
  return out;
}

namespace {

// A value's EDN, cut to `max` bytes on a UTF-8 boundary.
std::string Short(std::string s, size_t max) {
  if (s.size() <= max) return s;
  return Cat(Utf8Prefix(s, max), "\xe2\x80\xa6");  // …
}

std::string Json(std::string s, size_t max) { return JsonQuote(Short(std::move(s), max)); }

std::string TimeOf(const History& h, int64_t pos) {
  if (pos < 0 || h.ops[static_cast<size_t>(pos)].time_ns < 0) return "null";
  return Cat(h.ops[static_cast<size_t>(pos)].time_ns);
}

// [id, process, call, end, partition, status, order, f, key, input, output,
//  t_call, t_end]; end is -1 when an info never completed.
std::string OpJson(const Operation& op, const OpFacts& facts, const History& h, size_t max) {
  const int64_t end = op.info ? op.complete_pos : op.ret;
  return Cat("[", op.invoke_index, ",", op.process, ",", op.call, ",", end, ",", facts.part[op.id], ",",
             static_cast<int>(facts.status[op.id]), ",", facts.order[op.id], ",", JsonQuote(op.f), ",",
             op.key ? Json(Value::String(*op.key).ToEdn(), max) : "null", ",",
             Json(op.input.ToEdn(), max), ",", op.info ? "null" : Json(op.output.ToEdn(), max), ",",
             TimeOf(h, op.call), ",", TimeOf(h, end), "]");
}

std::string NemesisJson(const History& h, const ReportWindow& w, const CheckReportOptions& o) {
  std::vector<std::string> out;
  const int64_t last = std::min<int64_t>(w.to, static_cast<int64_t>(h.ops.size()));
  for (int64_t pos = std::max<int64_t>(w.from, 0); pos < last; ++pos) {
    const Op& op = h.ops[static_cast<size_t>(pos)];
    if (!op.nemesis()) continue;
    if (out.size() == o.max_nemesis_per_window) break;
    out.push_back(Cat("[", pos, ",", JsonQuote(OpTypeName(op.type)), ",", Json(op.f, o.max_value_chars),
                      ",", Json(op.value.ToEdn(), o.max_value_chars), "]"));
  }
  return Cat("[", Join(out, ","), "]");
}

std::string PartitionJson(const PartitionResult& p, const std::vector<Operation>& ops,
                          const CheckReportOptions& o) {
  std::vector<std::string> stuck;
  for (size_t id : p.stuck) stuck.push_back(Cat(ops[id].invoke_index));
  return Cat("{\"key\":", Json(p.key, o.max_value_chars), ",\"verdict\":\"", VerdictName(p.verdict),
             "\",\"ops\":", p.operations, ",\"steps\":", p.steps, ",\"ms\":",
             p.nanos < 0 ? "null" : Cat(static_cast<double>(p.nanos) / 1e6), ",\"prefix\":",
             p.longest_prefix.size(), ",\"state\":", Json(p.state_after_prefix, 2000),
             ",\"stuck\":[", Join(stuck, ","), "],\"reason\":", JsonQuote(p.unknown_reason), "}");
}

// Rows for the table: the partitions that are not ok first, then the rest,
// up to the limit; each keeps its index (the operations refer to it).
std::string PartitionsJson(const std::vector<Operation>& ops, const CheckResult& r,
                           const CheckReportOptions& o) {
  std::vector<std::string> rows;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < r.partitions.size() && rows.size() < o.max_partition_rows; ++i) {
      const PartitionResult& p = r.partitions[i];
      if ((p.verdict == Verdict::kOk) != (pass == 1)) continue;
      rows.push_back(Cat("[", i, ",", PartitionJson(p, ops, o), "]"));
    }
  }
  return Cat("[", Join(rows, ","), "]");
}


}  // namespace

std::string RenderCheckReport(const CheckReportInput& in, const CheckReportOptions& options) {
  SIM_ASSERT(in.history != nullptr && in.ops != nullptr && in.result != nullptr);
  const std::vector<Operation>& ops = *in.ops;
  const CheckResult& r = *in.result;
  const OpFacts facts = Facts(ops, r);
  size_t infos = 0, shown = 0;
  for (const Operation& op : ops) infos += op.info;
  std::vector<std::string> windows;
  for (const ReportWindow& w : ChooseReportWindows(ops, r, options)) {
    std::vector<std::string> rows;
    for (size_t id : w.ops) rows.push_back(OpJson(ops[id], facts, *in.history, options.max_value_chars));
    shown += w.ops.size();
    windows.push_back(Cat("{\"from\":", w.from, ",\"to\":", w.to, ",\"why\":", JsonQuote(w.why),
                          ",\"ops\":[", Join(rows, ",\n"), "],\"nemesis\":",
                          NemesisJson(*in.history, w, options), "}"));
  }
  const std::string data =
      Cat("{\"source\":", JsonQuote(in.source), ",\"model\":", JsonQuote(in.model), ",\"verdict\":\"",
          VerdictName(r.verdict), "\",\"operations\":", ops.size(), ",\"infos\":", infos,
          ",\"shown\":", shown, ",\"partitions_total\":", r.partitions.size(),
          ",\"partitions\":", PartitionsJson(ops, r, options), ",\"windows\":[",
          Join(windows, ",\n"), "]}");
  constexpr std::string_view kSlot = "/*FAULTLINE_DATA*/";
  const size_t at = kCheckReportPage.find(kSlot);
  SIM_ASSERT_MSG(at != std::string_view::npos, "check_report.html lost its data slot");
  return Cat(kCheckReportPage.substr(0, at), JsonForScript(data), kCheckReportPage.substr(at + kSlot.size()));
}

}  // namespace faultline
