// The scenario nemesis (design §5), planned before the run: every draw
// comes from the "nemesis" stream and becomes an explicit Scheduled fault,
// so the run applies it exactly as it would a fault the scenario wrote out,
// and repro.lua can list it.
//
// Every `every` (drawn between its bounds) from `from` until `until`, one
// fault of an enabled kind, on a server drawn uniformly, lasting between
// the `lasting` bounds:
//   partition   halves of a shuffled server order, or one server isolated
//   kill        crash (unsynced writes lost, or torn), restarted after
//   pause       paused, resumed after
//   skew        clock offset in [-skew, +skew], back to 0 after
//   jump        clock stepped by [-skew, +skew] (not undone)
//   clog        all traffic from one server to another held for the lasting
//   split_brain the leader or primary of the moment isolated with its clock
//               `skew` behind (resolved when it fires)
// With `swarm`, each kind is first switched on with probability 1/2 (at
// least one stays on), so different seeds explore different mixes.
#pragma once

#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/scenario/spec.h"

namespace faultline::scenario {

struct NemesisPlan {
  std::vector<std::string> enabled;  // the kinds on for this seed
  std::vector<Scheduled> faults;     // by time
};

NemesisPlan PlanNemesis(const NemesisSpec& spec, const std::vector<std::string>& servers, Rng& rng);

}  // namespace faultline::scenario
