#include "sim/world/network.h"

#include "sim/core/prefetch.h"
#include "sim/core/strings.h"

namespace faultline {

Network::Network(Simulation& sim) : sim_(sim), rng_(sim.Stream("net")) {
  sim_.RegisterHandler(EventKind::kDeliver, this);
}

Network::~Network() { sim_.RegisterHandler(EventKind::kDeliver, nullptr); }

const LinkConfig& Network::link(NodeId from, NodeId to) const {
  if (links_.empty()) return default_link_;
  auto it = links_.find(Key(from, to));
  return it == links_.end() ? default_link_ : it->second;
}

Status Network::Send(NodeId from, NodeId to, std::string bytes) {
  if (!sim_.HasNode(to)) {
    return Status(Error::kUnreachable,
                  Cat("send to node #", to.value, " which does not exist (", sim_.node_count(),
                      " nodes)"));
  }
  SIM_ASSERT_MSG(sim_.HasNode(from), "send from a node that does not exist");
  ++stats_.sent;
  stats_.bytes_sent += bytes.size();
  const LinkConfig& c = link(from, to);
  if (rng_.Chance(c.loss)) {
    ++stats_.dropped_loss;
    if (observer_ != nullptr) Observe(Packet{from, to, std::move(bytes), sim_.now()}, sim_.now(), MessageRecord::kLost);
    return Status::Ok();  // lost on the wire: the sender cannot tell
  }
  if (rng_.Chance(c.duplicate)) {
    ++stats_.duplicated;
    Enqueue(from, to, c, bytes);
  }
  Enqueue(from, to, c, std::move(bytes));
  return Status::Ok();
}

void Network::Enqueue(NodeId from, NodeId to, const LinkConfig& c, std::string bytes) {
  Time at = SaturatingAdd(sim_.now(), c.latency.Sample(rng_));
  if (c.fifo && !c.latency.constant()) {
    Time& last = fifo_last_[Key(from, to)];
    if (at < last) at = last;
    last = at;
  }
  uint32_t slot = packets_.Acquire();
  packets_[slot] = Packet{from, to, std::move(bytes), sim_.now()};
  // Owned by the destination so a paused node holds it; not tied to an
  // incarnation: a restarted node receives what was in flight.
  Event e{.kind = EventKind::kDeliver, .node = to, .a = slot};
  if (c.latency.constant()) {
    sim_.ScheduleAfter(at - sim_.now(), e, /*tied=*/false);
  } else {
    sim_.Schedule(at, e, /*tied=*/false);
  }
}

Time Network::ClogUntil(NodeId from, NodeId to) {
  if (clogs_.empty()) return Time::Zero();
  auto it = clogs_.find(Key(from, to));
  if (it == clogs_.end()) return Time::Zero();
  if (it->second <= sim_.now()) {
    clogs_.erase(it);
    return Time::Zero();
  }
  return it->second;
}

void Network::DropEvent(const Event& e) {
  // A delivery held for a paused node that then crashed.
  uint32_t slot = static_cast<uint32_t>(e.a);
  packets_[slot] = Packet{};
  packets_.Release(slot);
  ++stats_.dropped_down;
}

void Network::Prefetch(const Event& e, size_t distance) {
  const uint32_t slot = static_cast<uint32_t>(e.a);
  if (slot >= packets_.capacity()) return;
  if (distance >= 3) {
    PrefetchRead(&packets_[slot]);
  } else if (distance == 2) {
    const std::string& bytes = packets_[slot].bytes;
    PrefetchRead(bytes.data());
    PrefetchRead(bytes.data() + 64);
  }
  if (receiver_ != nullptr && e.node.valid()) receiver_->PrefetchDelivery(e.node, distance);
}

void Network::HandleEvent(Time at, const Event& e) {
  uint32_t slot = static_cast<uint32_t>(e.a);
  Packet& p = packets_[slot];
  Time clog = ClogUntil(p.from, p.to);
  if (clog > at) {
    sim_.Requeue(clog, e);  // keeps its sequence number: order is preserved
    return;
  }
  Packet packet = std::move(p);
  packets_.Release(slot);
  if (!fifo_last_.empty()) {
    auto it = fifo_last_.find(Key(packet.from, packet.to));
    if (it != fifo_last_.end() && it->second <= at) fifo_last_.erase(it);
  }
  sim_.trace().Add(HashBytes(packet.bytes.data(), packet.bytes.size(), packet.from.value));
  if (!conn_.Allows(packet.from, packet.to)) {
    ++stats_.dropped_partition;
    if (observer_ != nullptr) Observe(packet, at, MessageRecord::kCut);
    return;
  }
  if (sim_.state(packet.to) != NodeState::kUp) {
    ++stats_.dropped_down;
    if (observer_ != nullptr) Observe(packet, at, MessageRecord::kDown);
    return;
  }
  ++stats_.delivered;
  if (observer_ != nullptr) Observe(packet, at, MessageRecord::kDelivered);
  SIM_ASSERT_MSG(receiver_ != nullptr, "network has no receiver");
  receiver_->Deliver(packet.from, packet.to, std::move(packet.bytes));
}

}  // namespace faultline
