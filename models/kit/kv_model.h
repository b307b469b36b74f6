// The kit's replicated KV as a scenario model named "kv" (issue 5): servers
// r1..rN in one of four modes (parameter `mode`), clients c1..cM running the
// kit's workloads, and the checks of design §7 over the run's history and
// the replica states sampled through it. docs/scenario-api.md lists the
// parameters and checks.
#pragma once

#include "sim/scenario/model.h"

namespace faultline::kit {

void RegisterKvModel(scenario::ModelRegistry& registry);

struct ReplicaChoice;
// A replica of `mode` as the kit's parameters describe it (clock,
// lease_guard, lease_duration, anti_entropy, bug): the kv model's, and
// those of every model that declares the same parameters.
ReplicaChoice ReplicaChoiceFrom(const scenario::Params& p, std::string mode);

}  // namespace faultline::kit
