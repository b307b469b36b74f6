#include "sim/report/sweep_stats.h"

#include <algorithm>
#include <bit>
#include <string_view>

#include "absl/container/btree_map.h"

namespace faultline::report {
namespace {

constexpr uint32_t kSubBits = 5;  // 32 buckets per power of two

bool IsUndo(std::string_view kind) { return kind == "heal" || kind == "restart" || kind == "resume"; }

// The kind of plan entry that ends a fault of `kind` on `node`, if any.
bool Undoes(const scenario::Scheduled& undo, const scenario::Fault& f) {
  const scenario::Fault& u = undo.fault;
  const bool same_node = !u.nodes.empty() && !f.nodes.empty() && u.nodes[0].Lua() == f.nodes[0].Lua();
  if (f.kind.rfind("partition.", 0) == 0 || f.kind == "split_brain") return u.kind == "heal";
  if (f.kind == "crash") return u.kind == "restart" && same_node;
  if (f.kind == "pause") return u.kind == "resume" && same_node;
  return false;
}

int64_t End(const std::vector<scenario::Scheduled>& plan, size_t i, int64_t heal_ns) {
  const scenario::Scheduled& s = plan[i];
  const int64_t at = s.at.nanos();
  if (s.lasting) return std::min(heal_ns, at + s.lasting->nanos());
  if (s.fault.kind == "link.clog") return std::min(heal_ns, at + s.fault.amount.nanos());
  for (size_t j = i + 1; j < plan.size(); ++j) {
    if (plan[j].at.nanos() >= at && Undoes(plan[j], s.fault)) return std::min(heal_ns, plan[j].at.nanos());
  }
  return heal_ns;
}

bool During(const std::vector<Interval>& windows, int64_t t) {
  auto it = std::upper_bound(windows.begin(), windows.end(), t, [](int64_t v, const Interval& w) { return v < w.begin; });
  return it != windows.begin() && t < std::prev(it)->end;
}

}  // namespace

uint32_t LatencyBucket(int64_t ns) {
  if (ns < (int64_t{1} << kSubBits)) return static_cast<uint32_t>(std::max<int64_t>(ns, 0));
  const uint64_t v = static_cast<uint64_t>(ns);
  const uint32_t msb = static_cast<uint32_t>(std::bit_width(v)) - 1;  // >= kSubBits
  const uint32_t sub = static_cast<uint32_t>(v >> (msb - kSubBits)) & ((1u << kSubBits) - 1);
  return ((msb - kSubBits + 1) << kSubBits) | sub;
}

int64_t BucketLowerBound(uint32_t bucket) {
  if (bucket < (1u << kSubBits)) return bucket;
  const uint32_t msb = (bucket >> kSubBits) + kSubBits - 1;
  const uint64_t sub = bucket & ((1u << kSubBits) - 1);
  return static_cast<int64_t>(((uint64_t{1} << kSubBits) | sub) << (msb - kSubBits));
}

std::vector<Interval> FaultWindows(const scenario::RunResult& run) {
  std::vector<Interval> raw;
  for (size_t i = 0; i < run.plan.size(); ++i) {
    const scenario::Scheduled& s = run.plan[i];
    if (IsUndo(s.fault.kind) || s.fault.kind == "clock.jump") continue;
    if (i < run.plan_skipped.size() && run.plan_skipped[i]) continue;  // found no target: nothing was faulty
    const int64_t begin = s.at.nanos(), end = End(run.plan, i, run.heal_ns);
    if (begin < end) raw.push_back(Interval{begin, end});
  }
  std::sort(raw.begin(), raw.end(), [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  std::vector<Interval> merged;
  for (const Interval& w : raw) {
    if (!merged.empty() && w.begin <= merged.back().end) merged.back().end = std::max(merged.back().end, w.end);
    else merged.push_back(w);
  }
  return merged;
}

std::vector<KindStats> KindStatistics(const scenario::RunResult& run, const std::vector<Interval>& windows) {
  struct Open {
    std::string kind;
    int64_t at = 0;
  };
  absl::btree_map<int64_t, Open> open;  // by process
  absl::btree_map<std::string, KindStats> by_kind;
  absl::btree_map<std::string, absl::btree_map<uint32_t, uint64_t>> buckets;
  for (const Op& op : run.history.ops) {
    if (op.nemesis()) continue;
    if (op.type == OpType::kInvoke) {
      open[op.process] = Open{op.f, op.time_ns};
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    const Open o = it->second;
    open.erase(it);
    KindStats& k = by_kind[o.kind];
    const bool ok = op.type == OpType::kOk;
    if (ok) k.set_ok(k.ok() + 1);
    if (op.type == OpType::kFail) k.set_fail(k.fail() + 1);
    if (op.type == OpType::kInfo) k.set_info(k.info() + 1);
    if (During(windows, o.at)) {
      k.set_during_faults(k.during_faults() + 1);
      if (ok) k.set_during_faults_ok(k.during_faults_ok() + 1);
    }
    if (ok) ++buckets[o.kind][LatencyBucket(op.time_ns - o.at)];
  }
  // An invocation never completed is in doubt: info.
  for (const auto& [process, o] : open) {
    KindStats& k = by_kind[o.kind];
    k.set_info(k.info() + 1);
    if (During(windows, o.at)) k.set_during_faults(k.during_faults() + 1);
  }
  std::vector<KindStats> out;
  for (auto& [kind, k] : by_kind) {
    k.set_kind(kind);
    for (const auto& [index, count] : buckets[kind]) {
      Bucket* b = k.add_latency();
      b->set_index(index);
      b->set_count(count);
    }
    out.push_back(std::move(k));
  }
  return out;
}

int64_t Quantile(const std::vector<Bucket>& pooled, double q) {
  uint64_t total = 0;
  for (const Bucket& b : pooled) total += b.count();
  if (total == 0) return 0;
  // The same rank rule as the run summary: element floor((n-1)q) of the sorted values.
  const uint64_t rank = static_cast<uint64_t>(static_cast<double>(total - 1) * q);
  uint64_t seen = 0;
  for (const Bucket& b : pooled) {
    seen += b.count();
    if (seen > rank) return BucketLowerBound(b.index());
  }
  return BucketLowerBound(pooled.back().index());
}

void AddBuckets(std::vector<Bucket>* into, const google::protobuf::RepeatedPtrField<Bucket>& from) {
  absl::btree_map<uint32_t, uint64_t> sum;
  for (const Bucket& b : *into) sum[b.index()] += b.count();
  for (const Bucket& b : from) sum[b.index()] += b.count();
  into->clear();
  for (const auto& [index, count] : sum) {
    Bucket b;
    b.set_index(index);
    b.set_count(count);
    into->push_back(b);
  }
}

}  // namespace faultline::report
