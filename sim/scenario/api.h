// The scenario API (design §9; reference: docs/scenario-api.md): loads a
// scenario file in the sandbox and turns what it declares into a
// ScenarioSpec.
//
//   local s = scenario { name = "...", model = "kv", nodes = 3, duration = "4s",
//                        params = { mode = "lease" }, workload = { clients = 3 } }
//   s:at("1s", partition.isolate(primary()), "2s")
//   s:nemesis { kinds = { "partition", "kill" }, every = "300ms..800ms" }
//   s:check("linearizable")
//   s:expect("split_brain")
//   return s
//
// Every error is kInvalidArgument with "file:line: what was expected".
#pragma once

#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/scenario/model.h"
#include "sim/scenario/sandbox.h"
#include "sim/scenario/spec.h"

namespace faultline::scenario {

struct LoadOptions {
  // "k=v": a scenario field ("duration", "workload.clients"), or a model
  // parameter ("mode" or "params.mode"); applied over what the file says.
  std::vector<std::string> overrides;
  SandboxLimits limits;
  uint64_t seed = 1;  // math.random's stream in the scenario
};

// Reads and runs the scenario file `path` and validates what it declares
// against the registry (model, parameters, checks, node names).
Result<ScenarioSpec> LoadScenario(const std::string& path, const ModelRegistry& models, const LoadOptions& options);
// The same, from source text named `file` (tests, fuzzing).
Result<ScenarioSpec> LoadScenarioSource(const std::string& file, std::string_view source,
                                        const ModelRegistry& models, const LoadOptions& options);

// The node names a scenario of this model may target: r1..rN.
std::string ServerName(int index);
// The names of `s`'s servers under model `m` (its server_names, else
// r1..rN). `s` must have been validated against `m`.
std::vector<std::string> ServerNames(const ModelEntry& m, const ScenarioSpec& s);

// `spec` with its nemesis's draws for `seed` as explicit schedule entries
// and no nemesis: it runs event for event like `spec` (ADR 0009). Shrink
// works on this form.
ScenarioSpec WithExplicitPlan(const ScenarioSpec& spec, const ModelEntry& model, uint64_t seed);

}  // namespace faultline::scenario
