#include "sim/scenario/nemesis.h"

#include "sim/core/assert.h"

namespace faultline::scenario {
namespace {

// Draws in whole milliseconds (toward the bounds' inside): a repro.lua a
// person reads says "1.355s", not "1.354915228s".
Duration Ms(Rng& rng, Duration lo, Duration hi) {
  const int64_t a = (lo.nanos() + 999'999) / 1'000'000, b = hi.nanos() / 1'000'000;
  if (a > b) return lo;
  return Duration::Millis(rng.Range(a, b));
}

NodeRef Any(const std::vector<std::string>& servers, Rng& rng) {
  return NodeRef{servers[rng.Uniform(servers.size())], ""};
}

Fault Draw(const std::string& kind, const NemesisSpec& spec, const std::vector<std::string>& servers, Rng& rng) {
  Fault f;
  if (kind == "partition") {
    if (servers.size() < 3 || rng.Chance(1, 2)) {
      f.kind = "partition.isolate";
      f.nodes = {Any(servers, rng)};
      return f;
    }
    std::vector<std::string> order = servers;
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Uniform(i)]);
    f.kind = "partition.groups";
    f.groups.resize(2);
    for (size_t i = 0; i < order.size(); ++i) f.groups[i < order.size() / 2 ? 0 : 1].push_back(NodeRef{order[i], ""});
    return f;
  }
  if (kind == "kill") {
    f.kind = "crash";
    f.nodes = {Any(servers, rng)};
    f.option = rng.Chance(1, 2) ? "torn" : "lose";
    return f;
  }
  if (kind == "pause") {
    f.kind = "pause";
    f.nodes = {Any(servers, rng)};
    return f;
  }
  if (kind == "skew" || kind == "jump") {
    f.kind = kind == "skew" ? "clock.skew" : "clock.jump";
    f.nodes = {Any(servers, rng)};
    f.amount = Ms(rng, Duration::Zero() - spec.skew_max, spec.skew_max);
    return f;
  }
  if (kind == "clog") {
    f.kind = "link.clog";
    f.nodes = {Any(servers, rng)};
    NodeRef to = Any(servers, rng);
    while (servers.size() > 1 && to.name == f.nodes[0].name) to = Any(servers, rng);
    f.nodes.push_back(to);
    f.amount = Ms(rng, spec.lasting_min, spec.lasting_max);
    return f;
  }
  SIM_ASSERT_MSG(kind == "split_brain", "a nemesis kind the planner does not know");
  f.kind = "split_brain";
  f.amount = spec.skew_max;
  return f;
}

}  // namespace

NemesisPlan PlanNemesis(const NemesisSpec& spec, const std::vector<std::string>& servers, Rng& rng) {
  NemesisPlan plan;
  if (spec.swarm) {
    while (plan.enabled.empty()) {
      for (const std::string& k : spec.kinds) {
        if (rng.Chance(1, 2)) plan.enabled.push_back(k);
      }
    }
  } else {
    plan.enabled = spec.kinds;
  }
  if (servers.empty()) return plan;
  for (Duration at = spec.from + Ms(rng, spec.every_min, spec.every_max); at < spec.until;
       at = at + Ms(rng, spec.every_min, spec.every_max)) {
    Scheduled s;
    s.at = at;
    const std::string& kind = plan.enabled[rng.Uniform(plan.enabled.size())];
    s.fault = Draw(kind, spec, servers, rng);
    if (kind != "jump" && kind != "clog") s.lasting = Ms(rng, spec.lasting_min, spec.lasting_max);
    plan.faults.push_back(std::move(s));
  }
  return plan;
}

}  // namespace faultline::scenario
