// A kit cluster for tests: replicas r1..rN of one mode and client nodes
// c1..cM running KvWorkload, one shared history, and replica states sampled
// over virtual time for the convergence checker.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/kit/kv_workload.h"
#include "models/kit/replica.h"
#include "sim/core/rng.h"
#include "sim/history/recorder.h"
#include "tests/unit/testing.h"

namespace faultline::kit::testing {

using ReplicaFactory = std::function<std::unique_ptr<Replica>(Env&, const KitConfig&)>;
using ClientFactory = std::function<std::unique_ptr<Service>(Env&, HistoryRecorder&, const KitConfig&, int index)>;

inline ClientFactory KvClients(KvWorkloadOptions options = {}) {
  return [options](Env& env, HistoryRecorder& h, const KitConfig& c, int i) {
    return std::make_unique<KvWorkload>(env, h, c, i, options);
  };
}

struct KitRun {
  KitRun(uint64_t seed, int replicas, int clients, ReplicaFactory factory, KvWorkloadOptions options = {})
      : KitRun(seed, replicas, clients, std::move(factory), KvClients(options)) {}
  KitRun(uint64_t seed, int replicas, int clients, ReplicaFactory factory, ClientFactory client_factory)
      : h(seed) {
    config.replicas = replicas;
    for (int i = 0; i < replicas; ++i) {
      replica_ids.push_back(h.cluster.AddNode(config.ReplicaName(i), [this, factory](Env& env) {
        return std::unique_ptr<Service>(factory(env, config));
      }));
    }
    for (int i = 0; i < clients; ++i) {
      client_ids.push_back(h.cluster.AddNode(Cat("c", i + 1), [this, i, client_factory](Env& env) {
        return client_factory(env, history, config, i);
      }));
    }
    h.cluster.StartAll();
  }

  // Every replica's state now; a replica that is down reports up = false.
  StatesAt Sample() {
    StatesAt at{h.sim.now().nanos(), {}};
    for (NodeId id : replica_ids) {
      auto* r = dynamic_cast<Replica*>(h.cluster.service(id));
      if (r == nullptr) {
        at.replicas.push_back(ReplicaState{h.sim.NodeName(id), "down", false, {}});
      } else {
        at.replicas.push_back(r->Snapshot());
      }
    }
    return at;
  }
  void SampleEvery(Duration period, Duration from, Duration until) {
    for (Duration t = from; t <= until; t = t + period) h.At(t, [this] { samples.push_back(Sample()); });
  }
  // The replicas split as `groups` (names); clients reach every replica.
  Status Partition(std::vector<std::vector<std::string>> groups) {
    for (auto& g : groups) {
      for (NodeId c : client_ids) g.push_back(h.sim.NodeName(c));
    }
    return h.world.faults().PartitionNamed(groups);
  }
  // The names of every replica but the `except`th.
  std::vector<std::string> Others(size_t except) const {
    std::vector<std::string> rest;
    for (size_t i = 0; i < replica_ids.size(); ++i) {
      if (i != except) rest.push_back(config.ReplicaName(static_cast<int>(i)));
    }
    return rest;
  }
  // The replicas split into two random non-empty sides, drawn from `rng`.
  Status SplitRandomly(Rng& rng) {
    std::vector<std::string> names = Others(replica_ids.size());  // all of them
    for (size_t i = names.size(); i > 1; --i) std::swap(names[i - 1], names[rng.Uniform(i)]);
    const auto cut = static_cast<std::ptrdiff_t>(1 + rng.Uniform(names.size() - 1));
    return Partition({{names.begin(), names.begin() + cut}, {names.begin() + cut, names.end()}});
  }

  faultline::testing::Harness h;
  KitConfig config;
  HistoryRecorder history{"kit"};
  std::vector<NodeId> replica_ids, client_ids;
  std::vector<StatesAt> samples;
};

}  // namespace faultline::kit::testing
