// Cluster: gives simulated nodes their behaviour. It implements the engine's
// node hooks (boot and crash) and the network's receiver, and owns one Env
// and one Service per node.
//
// A Service is the node's volatile state: created by its factory on every
// boot (on the node's main fiber, so a constructor may read the disk) and
// destroyed after a crash has unwound the node's fibers.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/node/env.h"

namespace faultline {

class Service {
 public:
  virtual ~Service() = default;
  // Runs on the node's main fiber after construction; may loop forever.
  virtual void Run() {}
};

using ServiceFactory = std::function<std::unique_ptr<Service>(Env& env)>;

struct RpcStats {
  uint64_t calls = 0;
  uint64_t ok = 0;
  uint64_t timeouts = 0;
  uint64_t late_responses = 0;  // after a timeout, or duplicated
  uint64_t undecodable = 0;     // bytes that are not an Envelope
};

class Cluster final : public NodeHooks, public NetworkReceiver {
 public:
  explicit Cluster(World& world);
  ~Cluster() override;

  NodeId AddNode(std::string name, ServiceFactory factory);
  void StartAll();
  Env& env(NodeId node) { return *nodes_.at(node.value).env; }
  // The node's current service, or null while it is down.
  Service* service(NodeId node) { return nodes_.at(node.value).service.get(); }
  World& world() { return world_; }
  Simulation& sim() { return world_.sim(); }
  RpcStats& rpc_stats() { return rpc_stats_; }

  void OnBoot(NodeId node) override;
  void OnCrash(NodeId node) override;
  void PrefetchNode(NodeId node, size_t distance) override;
  void Deliver(NodeId from, NodeId to, std::string bytes) override;
  void PrefetchDelivery(NodeId to, size_t distance) override;

 private:
  struct NodeSlot {
    std::unique_ptr<Env> env;
    ServiceFactory factory;
    std::unique_ptr<Service> service;
  };
  World& world_;
  std::vector<NodeSlot> nodes_;
  // nodes_[i].env.get(), dense: Deliver reads it for every message, and at
  // 100,000 nodes the slots (with their factories) do not stay in cache.
  std::vector<Env*> envs_;
  std::vector<Service*> services_;  // nodes_[i].service.get(), dense, for prefetching
  RpcStats rpc_stats_;
};

}  // namespace faultline
