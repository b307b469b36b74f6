// The split-brain checker (design §7): two replicas acting as leader (or
// primary) over overlapping stretches of virtual time, and both
// acknowledging writes in the overlap. A single-leader design promises that
// cannot happen; a lease whose guard is smaller than the clock error
// breaks it.
//
// Pure: roles come from the replicas' reports (ReplicaState::role) sampled
// over time, turned into spans; writes from the history, where a completion
// names the replica that served it (Op::node).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/check/convergence.h"
#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline {

// A replica held `role` over [from_ns, to_ns).
struct RoleSpan {
  std::string node;
  std::string role;
  int64_t from_ns = 0;
  int64_t to_ns = 0;
};

// Spans from samples: a role holds from the sample that shows it to the
// next sample of that replica (the last one: to its own time + 1). A
// replica that is down holds no role.
std::vector<RoleSpan> RoleSpans(const std::vector<StatesAt>& samples);

struct SplitBrain {
  std::string a, b;        // the two replicas, a < b
  int64_t from_ns = 0;     // the overlap of their leadership
  int64_t to_ns = 0;
  size_t write_a = 0, write_b = 0;  // operation ids: a write each acknowledged in the overlap
};

struct SplitBrainResult {
  Verdict verdict = Verdict::kOk;
  std::vector<SplitBrain> found;  // at most one per pair of overlapping spans
  std::string message;
};

// `leader_roles`: the role names that accept writes alone ("leader", "primary").
// Writes: ok operations whose f is write or cas and whose completion names a node.
SplitBrainResult CheckSplitBrain(const std::vector<RoleSpan>& spans, const History& history,
                                 const std::vector<Operation>& ops,
                                 const std::vector<std::string>& leader_roles = {"leader", "primary"});

}  // namespace faultline
