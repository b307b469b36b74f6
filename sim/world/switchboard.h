// The fault switchboard: the one place every fault is applied (design §5).
// Each call validates its arguments (an error, never a silent default),
// applies the fault, mixes it into the trace hash, and appends a record of
// what took effect and when, so a run's faults can be replayed as an
// explicit schedule. Called from a fiber, the fault is applied by an event
// at the same virtual time, so a node never loses its disk mid-step.
#pragma once

#include <string>
#include <vector>

#include "sim/world/clocks.h"
#include "sim/world/connectivity.h"
#include "sim/world/disk.h"
#include "sim/world/network.h"

namespace faultline {

class World;

struct FaultRecord {
  Time at;
  std::string kind;    // "partition", "heal", "crash", "skew", ...
  std::string target;  // node or link, "" for the whole cluster
  std::string detail;  // parameters, human-readable and exact
};

class Switchboard {
 public:
  explicit Switchboard(World& world) : world_(world) {}

  // ---- network ----
  Status Partition(Connectivity c, std::string description);
  Status PartitionHalves();  // nodes in id order: first floor(n/2) vs rest
  // Groups of node names, e.g. {{"n1","n2"},{"n3"}}. A node in no group is
  // isolated; a node in two groups bridges them. Unknown names are an error
  // that lists the known ones.
  Status PartitionNamed(const std::vector<std::vector<std::string>>& groups);
  // The helpers of design §5 over an ordering of the nodes (e.g. shuffled by
  // a nemesis); the record lists the nodes on each side, and the nodes the
  // ordering leaves out, which are isolated. Errors: fewer than 2 nodes, a
  // node twice, a bridge of fewer than 3 or a ring of fewer than 4.
  Status Halves(const std::vector<NodeId>& order);
  Status Bridge(const std::vector<NodeId>& order);
  Status MajoritiesRing(const std::vector<NodeId>& order);
  Status Isolate(NodeId node);
  Status OneWay(NodeId from, NodeId to);  // cuts from -> to only
  Status Heal();
  Status SetLink(NodeId from, NodeId to, const LinkConfig& c);
  Status SetDefaultLink(const LinkConfig& c);
  Status Clog(NodeId from, NodeId to, Duration d);

  // ---- clocks ----
  Status Skew(NodeId node, Duration offset);
  Status Jump(NodeId node, Duration step);
  Status Drift(NodeId node, int64_t ppm);

  // ---- process ----
  Status Crash(NodeId node, CrashDisk disk = CrashDisk::kLoseUnsynced);
  Status Restart(NodeId node);
  Status Pause(NodeId node);
  Status Resume(NodeId node);

  // ---- disk ----
  Status Corrupt(NodeId node, std::string file, uint64_t block, uint32_t bit);
  Status SlowDisk(NodeId node, Duration per_op);
  Status FullDisk(NodeId node, bool full);
  Status WipeDisk(NodeId node);

  const std::vector<FaultRecord>& applied() const { return applied_; }

 private:
  Status CheckNode(NodeId node) const;
  Status CheckOrder(const std::vector<NodeId>& order) const;
  std::string Names(const std::vector<NodeId>& nodes) const;
  std::string Left(const std::vector<NodeId>& order) const;
  std::string Name(NodeId node) const;
  // Runs `apply` now, or at now() from an event if called inside a fiber.
  Status Apply(absl::AnyInvocable<void()> apply);
  void Record(std::string kind, std::string target, std::string detail);

  World& world_;
  std::vector<FaultRecord> applied_;
};

}  // namespace faultline
