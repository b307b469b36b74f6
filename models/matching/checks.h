// The matching service's invariants (docs/models/matching.md), each pure
// over the paired history (sim/history) and, where it needs one, the final
// profiles. Every violation names operation ids (Operation::id), virtual
// times and developers.
#pragma once

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "models/matching/catalog.h"
#include "sim/check/result.h"
#include "sim/history/history.h"

namespace faultline::matching {

struct Finding {
  std::string why;           // one line
  std::vector<size_t> ops;   // operation ids
  int64_t time_ns = -1;      // virtual time it is about
};

struct Findings {
  Verdict verdict = Verdict::kOk;
  std::string message;
  std::vector<Finding> found;
};

// no_double_booking: at no virtual time do a developer's assignments that
// were certainly held then exceed their capacity. An assignment is held
// certainly from its :granted acknowledgement until its release is
// invoked (forever if never released): only assignments the registry
// acknowledged count, and none is counted past the moment it might have
// ended. Sound for any history: a linearizable registry never shows one.
Findings CheckNoDoubleBooking(const History& h, const std::vector<Operation>& ops);

// linearizable over the registry: assign and release per developer against
// a model of one developer's bookings (capacity from each assign's input).
// `budget.max_steps` bounds the steps over all developers; beyond it, or
// memory_bytes, the verdict is unknown and the message names who is undecided.
Result<Findings> CheckRegistryLinearizable(const std::vector<Operation>& ops, const CheckBudget& budget);

// match_staleness: a match invoked at T used, for some candidate, a copy
// of the profile missing an update acknowledged before T - bound (its id
// absent from the copy's revs): the copy was that old, or the update was
// lost. Onboardings that found the profile there already (:exists) wrote
// nothing and are not counted.
Findings CheckMatchStaleness(const History& h, const std::vector<Operation>& ops, int64_t bound_ns);

// no_lost_profile_updates: every acknowledged profile change is reflected
// (its id in revs) in the final profile of its developer, read from the
// first replica up at the end.
Findings CheckNoLostProfileUpdates(const History& h, const std::vector<Operation>& ops,
                                   const absl::btree_map<std::string, std::string>& final_profiles);

// scores_explained: each candidate's score equals the sum of its parts,
// and each part equals the one recomputed (score.h) from the recorded
// project and profile texts.
Findings CheckScoresExplained(const History& h, const std::vector<Operation>& ops);

}  // namespace faultline::matching
