// Shrinking a failing scenario to one a person can read (design §10,
// issue 7): delta debugging over the explicit fault schedule, then each
// fault made shorter and moved later, then the workload (fewer clients,
// fewer operations, a shorter run) and the cluster (fewer nodes, as far as
// the model allows), round after round until nothing more goes or the
// budget of runs is spent. A candidate is kept only if `interesting` says
// it still fails the same way (the caller compares signatures).
//
// Faults are planned input (ADR 0009) and each fault's own randomness
// comes from a stream named after the fault (a torn crash draws from
// "disk/<node>@<time>"), so dropping one fault does not reshuffle the
// rest. Traffic still shares the network's stream, so changing the
// workload may move every message; that is why the workload is shrunk
// after the faults, and each step is kept only when it still fails.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/scenario/spec.h"

namespace faultline::scenario {

struct ShrinkOptions {
  int budget = 200;    // runs of `interesting`, at most
  int min_nodes = 1;   // the model's
  // The names faults may target in a cluster of the spec's size (the
  // model's servers); faults naming others are dropped with the node.
  std::function<std::vector<std::string>(const ScenarioSpec&)> server_names;
  Duration resolution = Duration::Millis(50);  // no shorter step than this
};

struct ShrinkStats {
  int runs = 0;      // calls of `interesting`
  int accepted = 0;  // candidates kept
  std::vector<std::string> steps;  // what was kept, in order: "dropped 3 of 5 faults", ...
};

using Interesting = std::function<bool(const ScenarioSpec&)>;

// `failing` must be interesting (the caller checked). Returns the smallest
// interesting spec found.
ScenarioSpec Shrink(const ScenarioSpec& failing, const Interesting& interesting, const ShrinkOptions& options, ShrinkStats* stats);

}  // namespace faultline::scenario
