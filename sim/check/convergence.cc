#include "sim/check/convergence.h"

#include "absl/container/btree_set.h"
#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/core/time.h"

namespace faultline {

std::vector<Divergence> Divergences(const StatesAt& at) {
  absl::btree_set<std::string> keys;
  for (const ReplicaState& r : at.replicas) {
    if (!r.up) continue;
    for (const auto& [k, v] : r.values) keys.insert(k);
  }
  std::vector<Divergence> out;
  for (const std::string& k : keys) {
    Divergence d{k, {}};
    bool differ = false;
    const std::string* first = nullptr;
    static const std::string kAbsent = "(absent)";
    for (const ReplicaState& r : at.replicas) {
      if (!r.up) continue;
      auto it = r.values.find(k);
      const std::string& v = it == r.values.end() ? kAbsent : it->second;
      if (first != nullptr && v != *first) differ = true;
      if (first == nullptr) first = &v;
      d.held.emplace_back(r.node, v);
    }
    if (differ) out.push_back(std::move(d));
  }
  return out;
}

ConvergenceResult CheckConverges(const std::vector<StatesAt>& samples, int64_t quiet_ns, int64_t bound_ns) {
  for (size_t i = 1; i < samples.size(); ++i) SIM_ASSERT(samples[i - 1].time_ns <= samples[i].time_ns);
  ConvergenceResult out;
  const int64_t limit = quiet_ns + bound_ns;
  if (samples.empty() || samples.back().time_ns < limit) {
    out.verdict = Verdict::kUnknown;
    out.message = Cat("no state sampled at or after ", FormatTime(Time::FromNanos(limit)),
                      " (quiet + bound): the run ended too early to tell");
    return out;
  }
  // Disagreeing before the bound is allowed; at or after it is not.
  size_t last_bad = SIZE_MAX, first_late_bad = SIZE_MAX;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (samples[i].time_ns < quiet_ns || Divergences(samples[i]).empty()) continue;
    last_bad = i;
    if (samples[i].time_ns >= limit && first_late_bad == SIZE_MAX) first_late_bad = i;
  }
  if (first_late_bad == SIZE_MAX) {
    size_t from = 0;
    while (samples[from].time_ns < quiet_ns) ++from;  // exists: the last sample is past the limit
    if (last_bad != SIZE_MAX) from = last_bad + 1;     // likewise (last_bad is before the limit)
    out.converged_ns = samples[from].time_ns;
    out.message = Cat("converged ", FormatDuration(Duration::Nanos(out.converged_ns - quiet_ns)),
                      " after the quiet point (bound ", FormatDuration(Duration::Nanos(bound_ns)), ")");
    return out;
  }
  out.verdict = Verdict::kViolation;
  out.evidence_ns = samples[first_late_bad].time_ns;
  out.divergences = Divergences(samples[first_late_bad]);
  out.message = Cat(out.divergences.size(), " key(s) differ at ", FormatTime(Time::FromNanos(out.evidence_ns)),
                    ", ", FormatDuration(Duration::Nanos(out.evidence_ns - quiet_ns)), " after the quiet point (bound ",
                    FormatDuration(Duration::Nanos(bound_ns)), ")");
  return out;
}

}  // namespace faultline
