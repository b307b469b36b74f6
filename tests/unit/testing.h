// Helpers for tests that need a simulated cluster: a Simulation, a World and
// a Cluster whose services are lambdas.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sim/core/strings.h"
#include "sim/node/cluster.h"

namespace faultline::testing {

using namespace faultline::literals;

// A service whose behaviour is a lambda run on the node's main fiber.
class LambdaService final : public Service {
 public:
  LambdaService(Env& env, std::function<void(Env&)> run) : env_(env), run_(std::move(run)) {}
  void Run() override {
    if (run_) run_(env_);
  }

 private:
  Env& env_;
  std::function<void(Env&)> run_;
};

struct Harness {
  explicit Harness(uint64_t seed = 1, bool trace_log = false)
      : sim(SimOptions{.seed = seed, .trace_log = trace_log}), world(sim), cluster(world) {}

  // Adds node "n<k>"; `boot` runs on every (re)boot: register handlers there
  // and do the node's work.
  NodeId Add(std::function<void(Env&)> boot) {
    std::string name = Cat("n", sim.node_count() + 1);
    return cluster.AddNode(name, [boot](Env& env) {
      return std::make_unique<LambdaService>(env, boot);
    });
  }
  void RunFor(Duration d) { sim.Run(sim.now() + d); }
  void At(Duration t, absl::AnyInvocable<void()> fn) {
    sim.ScheduleCallback(Time::Zero() + t, NodeId(), std::move(fn));
  }

  Simulation sim;
  World world;
  Cluster cluster;
};

}  // namespace faultline::testing
