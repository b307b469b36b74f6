#include "sim/report/run_view.h"

#include "absl/container/btree_map.h"

namespace faultline::report {

std::vector<FaultWindow> FaultWindows(const std::vector<FaultRecord>& faults, int64_t end_ns) {
  std::vector<FaultWindow> out;
  // Open windows by (kind that closes them, target): index into out.
  absl::btree_map<std::pair<std::string, std::string>, size_t> open;
  auto close = [&](const std::string& kind, const std::string& target, int64_t at) {
    auto it = open.find({kind, target});
    if (it == open.end()) return;
    out[it->second].to_ns = at;
    open.erase(it);
  };
  auto start = [&](const FaultRecord& f, const std::string& closer) {
    close(closer, f.target, f.at.nanos());  // a second one replaces the first
    out.push_back(FaultWindow{f.at.nanos(), -1, f.kind, f.target, f.detail});
    open[{closer, f.target}] = out.size() - 1;
  };
  for (const FaultRecord& f : faults) {
    const int64_t at = f.at.nanos();
    if (f.kind == "partition") {
      start(f, "heal");
    } else if (f.kind == "heal") {
      close("heal", "", at);
    } else if (f.kind == "crash") {
      start(f, "restart");
    } else if (f.kind == "restart") {
      close("restart", f.target, at);
    } else if (f.kind == "pause") {
      start(f, "resume");
    } else if (f.kind == "resume") {
      close("resume", f.target, at);
    } else if (f.kind == "skew") {
      close("unskew", f.target, at);
      if (f.detail != "offset +0s") start(f, "unskew");  // a reset only closes
    } else if (f.kind == "full-disk") {
      if (f.detail == "on") start(f, "full-off"); else close("full-off", f.target, at);
    } else if (f.kind == "slow-disk") {
      close("slow-off", f.target, at);
      if (f.detail.rfind("0s ", 0) != 0) start(f, "slow-off");
    } else if (f.kind == "clog" && f.detail.rfind("for ", 0) == 0 && ParseDuration(f.detail.substr(4)).ok()) {
      out.push_back(FaultWindow{at, at + ParseDuration(f.detail.substr(4))->nanos(), f.kind, f.target, f.detail});
    } else {
      out.push_back(FaultWindow{at, at, f.kind, f.target, f.detail});
    }
  }
  for (FaultWindow& w : out) {
    if (w.to_ns < 0) w.to_ns = end_ns;
  }
  return out;
}

std::vector<OpSpan> OpSpans(const History& h, int64_t end_ns) {
  std::vector<OpSpan> out;
  absl::btree_map<int64_t, size_t> open;  // process -> index into out
  for (size_t i = 0; i < h.ops.size(); ++i) {
    const Op& op = h.ops[i];
    if (op.nemesis()) continue;
    if (op.type == OpType::kInvoke) {
      OpSpan s;
      s.invoke = i;
      s.process = op.process;
      s.f = op.f;
      s.key = op.key.value_or("");
      s.value = op.value.ToEdn();
      s.from_ns = op.time_ns;
      s.to_ns = end_ns;
      s.outcome = "info";
      open[op.process] = out.size();
      out.push_back(std::move(s));
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    OpSpan& s = out[it->second];
    s.to_ns = op.time_ns;
    s.outcome = op.type == OpType::kOk ? "ok" : op.type == OpType::kFail ? "fail" : "info";
    if (op.type == OpType::kOk && op.f == "read") s.value = op.value.ToEdn();
    s.node = op.node;
    open.erase(it);
  }
  return out;
}

}  // namespace faultline::report
