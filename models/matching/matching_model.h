// The matching service as a scenario model named "matching" (issue 6,
// docs/models/matching.md): a registry cluster reg1..regN and a profile
// cluster pro1..proN (N = the scenario's nodes), front nodes e1..eE, and
// client nodes c1..cM running the matching workload.
#pragma once

#include "sim/scenario/model.h"

namespace faultline::matching {

void RegisterMatchingModel(scenario::ModelRegistry& registry);

}  // namespace faultline::matching
