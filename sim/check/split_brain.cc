#include "sim/check/split_brain.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "sim/core/strings.h"
#include "sim/core/time.h"

namespace faultline {

std::vector<RoleSpan> RoleSpans(const std::vector<StatesAt>& samples) {
  std::vector<RoleSpan> out;
  absl::btree_map<std::string, size_t> open;  // node -> its current span in out
  for (const StatesAt& at : samples) {
    for (const ReplicaState& r : at.replicas) {
      auto it = open.find(r.node);
      if (it != open.end()) {
        RoleSpan& s = out[it->second];
        s.to_ns = at.time_ns;
        if (r.up && s.role == r.role) continue;  // still the same role
        open.erase(it);
      }
      if (!r.up) continue;
      open[r.node] = out.size();
      out.push_back(RoleSpan{r.node, r.role, at.time_ns, at.time_ns + 1});
    }
  }
  return out;
}

SplitBrainResult CheckSplitBrain(const std::vector<RoleSpan>& spans, const History& history,
                                 const std::vector<Operation>& ops, const std::vector<std::string>& leader_roles) {
  SplitBrainResult out;
  std::vector<const RoleSpan*> leaders;
  for (const RoleSpan& s : spans) {
    if (std::find(leader_roles.begin(), leader_roles.end(), s.role) != leader_roles.end()) leaders.push_back(&s);
  }
  // Acknowledged writes: (completion time, node, id).
  // Acknowledged writes with their whole span: a write counts for a
  // stretch only if it was invoked and answered inside it (an old leader's
  // reply arriving late proves nothing about when it accepted the write).
  struct Ack {
    int64_t from, to;
    std::string node;
    size_t op;
  };
  std::vector<Ack> acks;
  for (const Operation& op : ops) {
    if (op.info || (op.f != "write" && op.f != "cas") || op.complete_pos < 0) continue;
    const Op& done = history.ops[static_cast<size_t>(op.complete_pos)];
    const int64_t invoked = history.ops[static_cast<size_t>(op.call)].time_ns;
    if (!done.node.empty() && done.time_ns >= 0 && invoked >= 0) acks.push_back(Ack{invoked, done.time_ns, done.node, op.id});
  }
  auto first_ack = [&](const std::string& node, int64_t from, int64_t to) -> const Ack* {
    for (const Ack& a : acks) {
      if (a.node == node && a.from >= from && a.to < to) return &a;
    }
    return nullptr;
  };
  for (size_t i = 0; i < leaders.size(); ++i) {
    for (size_t j = i + 1; j < leaders.size(); ++j) {
      const RoleSpan& x = *leaders[i];
      const RoleSpan& y = *leaders[j];
      if (x.node == y.node) continue;
      const int64_t from = std::max(x.from_ns, y.from_ns), to = std::min(x.to_ns, y.to_ns);
      if (from >= to) continue;
      const Ack* ax = first_ack(x.node, from, to);
      const Ack* ay = first_ack(y.node, from, to);
      if (ax == nullptr || ay == nullptr) continue;
      const bool swap = y.node < x.node;
      out.found.push_back(SplitBrain{swap ? y.node : x.node, swap ? x.node : y.node, from, to,
                                     swap ? ay->op : ax->op, swap ? ax->op : ay->op});
    }
  }
  if (!out.found.empty()) {
    out.verdict = Verdict::kViolation;
    const SplitBrain& f = out.found.front();
    out.message = Cat(out.found.size(), " split-brain stretch(es); first: ", f.a, " and ", f.b, " both ",
                      "acknowledged writes between ", FormatTime(Time::FromNanos(f.from_ns)), " and ",
                      FormatTime(Time::FromNanos(f.to_ns)));
  } else {
    out.message = Cat("no overlapping leaders acknowledged writes (", leaders.size(), " leader span(s))");
  }
  return out;
}

}  // namespace faultline
