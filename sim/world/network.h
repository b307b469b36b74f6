// The simulated network (design §5). The wire carries bytes.
//
// Semantics:
//  - Send samples the link's latency, loss and duplication when the message
//    leaves; a duplicate gets its own independent delay.
//  - Partitions are checked at delivery time: a message in flight when a cut
//    starts is dropped, one sent during a cut that heals before it lands
//    arrives.
//  - Ordering: with a constant latency a link is FIFO (equal times break by
//    send order). With a random latency, messages are reordered by their
//    independent delays, unless the link is `fifo`, in which case each
//    delivery waits for the previous one on that link.
//  - Clog: a clogged link holds every delivery until the clog ends, then
//    delivers them in their original order.
//  - A message to a crashed (or never started) node is dropped at delivery;
//    one to a paused node is held by the engine until it resumes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "sim/core/slab.h"
#include "sim/engine/simulation.h"
#include "sim/world/connectivity.h"
#include "sim/world/latency.h"

namespace faultline {

struct LinkConfig {
  LatencyModel latency = LatencyModel::Constant(Duration::Millis(1));
  Probability loss;
  Probability duplicate;
  bool fifo = false;  // only matters for random latencies; see above
};

struct NetStats {
  uint64_t sent = 0;
  uint64_t delivered = 0;
  uint64_t duplicated = 0;
  uint64_t dropped_loss = 0;
  uint64_t dropped_partition = 0;
  uint64_t dropped_down = 0;  // destination crashed or not started
  uint64_t bytes_sent = 0;
  uint64_t dropped() const { return dropped_loss + dropped_partition + dropped_down; }
};

class NetworkReceiver {
 public:
  virtual ~NetworkReceiver() = default;
  // Called on the scheduler's context; may resume a fiber as its last act.
  virtual void Deliver(NodeId from, NodeId to, std::string bytes) = 0;
  // A hint, as EventHandler::Prefetch: a delivery to `to` is `distance`
  // events away.
  virtual void PrefetchDelivery(NodeId to, size_t distance) {}
};

// One message's fate, for a run's trace (sim/report): reported when it is
// delivered or dropped. Only when an observer is set; the hot path pays
// one branch otherwise.
struct MessageRecord {
  enum Fate : uint8_t { kDelivered, kLost, kCut, kDown };  // kLost: on the wire; kCut: by a partition
  NodeId from, to;
  Time sent, at;
  uint32_t bytes = 0;
  Fate fate = kDelivered;
};

class MessageObserver {
 public:
  virtual ~MessageObserver() = default;
  virtual void OnMessage(const MessageRecord& m) = 0;
};

class Network final : public EventHandler {
 public:
  explicit Network(Simulation& sim);
  ~Network() override;

  void SetReceiver(NetworkReceiver* r) { receiver_ = r; }
  void SetObserver(MessageObserver* o) { observer_ = o; }  // null: none
  // Errors: unknown destination or source (a bug in the caller's routing).
  Status Send(NodeId from, NodeId to, std::string bytes);

  void SetDefaultLink(const LinkConfig& c) { default_link_ = c; }
  const LinkConfig& default_link() const { return default_link_; }
  void SetLink(NodeId from, NodeId to, const LinkConfig& c) { links_[Key(from, to)] = c; }
  void ClearLinks() { links_.clear(); }
  const LinkConfig& link(NodeId from, NodeId to) const;
  void Clog(NodeId from, NodeId to, Time until) { clogs_[Key(from, to)] = until; }
  void SetConnectivity(Connectivity c) { conn_ = std::move(c); }
  const Connectivity& connectivity() const { return conn_; }
  bool Connected(NodeId from, NodeId to) const { return conn_.Allows(from, to); }

  const NetStats& stats() const { return stats_; }
  size_t in_flight() const { return packets_.in_use(); }

  void HandleEvent(Time at, const Event& e) override;
  void DropEvent(const Event& e) override;
  void Prefetch(const Event& e, size_t distance) override;

 private:
  struct Packet {
    NodeId from, to;
    std::string bytes;
    Time sent;
  };
  void Observe(const Packet& p, Time at, MessageRecord::Fate fate) {
    observer_->OnMessage(MessageRecord{p.from, p.to, p.sent, at, static_cast<uint32_t>(p.bytes.size()), fate});
  }
  static uint64_t Key(NodeId a, NodeId b) { return (uint64_t{a.value} << 32) | b.value; }
  void Enqueue(NodeId from, NodeId to, const LinkConfig& c, std::string bytes);
  Time ClogUntil(NodeId from, NodeId to);

  Simulation& sim_;
  Rng& rng_;
  NetworkReceiver* receiver_ = nullptr;
  MessageObserver* observer_ = nullptr;
  LinkConfig default_link_;
  absl::btree_map<uint64_t, LinkConfig> links_;
  absl::btree_map<uint64_t, Time> clogs_;
  // Last scheduled delivery per fifo link with a random latency. Looked up
  // by key only, never iterated. tidy:allow(unordered)
  absl::flat_hash_map<uint64_t, Time> fifo_last_;
  Connectivity conn_;
  Slab<Packet> packets_;
  NetStats stats_;
};

}  // namespace faultline
