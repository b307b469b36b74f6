#include "sim/node/env.h"

#include <algorithm>

#include "sim/core/strings.h"
#include "sim/node/cluster.h"

namespace faultline {

// ---- DiskIo ----

namespace {
bool Down(const Simulation& sim, NodeId node) {
  NodeState s = sim.state(node);
  return s == NodeState::kCrashed || s == NodeState::kStopped || sim.CurrentUnwinding();
}
}  // namespace

Status DiskIo::Charge() {
  if (Down(sim_, node_)) return Status(Error::kCrashed, "node is down");
  Duration d = disk_.latency();
  if (d.nanos() > 0 && sim_.InFiber()) return sim_.Sleep(d);
  return Status::Ok();
}

Status DiskIo::Write(std::string_view file, uint64_t offset, std::string_view data) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.Write(file, offset, data);
}
Status DiskIo::Append(std::string_view file, std::string_view data) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.Append(file, data);
}
Result<std::string> DiskIo::Read(std::string_view file, uint64_t offset, uint64_t length) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.Read(file, offset, length);
}
Result<std::string> DiskIo::ReadAll(std::string_view file) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.ReadAll(file);
}
Status DiskIo::Fsync(std::string_view file) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.Fsync(file);
}
Status DiskIo::Delete(std::string_view file) {
  if (Status s = Charge(); !s.ok()) return s;
  return disk_.Delete(file);
}

// ---- Env ----

Env::Env(Cluster& cluster, NodeId id)
    : cluster_(cluster),
      id_(id),
      rng_(&cluster.sim().NodeRng(id)),
      disk_(cluster.sim(), cluster.world().disk(id), id) {}

Status Env::CheckAlive() const {
  if (Down(sim(), id_)) return Status(Error::kCrashed, Cat(name(), " is down"));
  return Status::Ok();
}

Simulation& Env::sim() const { return cluster_.sim(); }
World& Env::world() const { return cluster_.world(); }
const std::string& Env::name() const { return sim().NodeName(id_); }
const std::string& Env::name_of(NodeId node) const { return sim().NodeName(node); }
Result<NodeId> Env::node(std::string_view name) const { return sim().FindNode(name); }

size_t Env::node_count() const { return sim().node_count(); }

std::vector<NodeId> Env::peers() const {
  std::vector<NodeId> out;
  for (uint32_t i = 0; i < sim().node_count(); ++i) {
    if (i != id_.value) out.push_back(NodeId(i));
  }
  return out;
}

Time Env::now() const { return sim().now(); }
Time Env::wall_clock() const { return world().clocks().Wall(id_, sim().now()); }
Time Env::monotonic_clock() const { return world().clocks().Monotonic(id_, sim().now()); }
Rng& Env::rng() { return *rng_; }
Status Env::Sleep(Duration d) { return sim().Sleep(d); }

void Env::Spawn(std::string name, std::function<void()> body) {
  sim().Spawn(id_, std::move(name), std::move(body));
}

void Env::Log(std::string event, std::vector<LogField> fields) {
  sim().Log(id_, std::move(event), std::move(fields));
}

Status Env::CheckPeer(NodeId to) const {
  if (Status s = CheckAlive(); !s.ok()) return s;
  if (!sim().HasNode(to)) {
    return InvalidArgument(Cat(name(), " sent to node #", to.value, ", which does not exist (",
                               sim().node_count(), " nodes)"));
  }
  return Status::Ok();
}

Status Env::SendWire(NodeId to, std::string bytes) {
  if (Status s = CheckPeer(to); !s.ok()) return s;
  return world().network().Send(id_, to, std::move(bytes));
}

Status Env::Send(NodeId to, std::string_view method, const google::protobuf::MessageLite& msg) {
  if (Status s = CheckPeer(to); !s.ok()) return s;
  EnvelopeHeader h{.src = id_.value, .dst = to.value, .kind = kEnvelopeOneWay, .method = method};
  std::string bytes;
  EncodeEnvelope(h, msg, &bytes);
  return world().network().Send(id_, to, std::move(bytes));  // checked above
}

Result<Inbound> Env::Receive(Duration timeout) {
  SIM_ASSERT_MSG(sim().CurrentNode() == id_, "Receive() from another node's fiber");
  if (timeout < Duration::Zero()) {
    return InvalidArgument(Cat("Receive with a negative timeout ", FormatDuration(timeout)));
  }
  if (Status s = CheckAlive(); !s.ok()) return s;
  if (inbox_head_ == inbox_.size()) {
    uint64_t token = sim().PrepareWait();
    receivers_.push_back(Waiter{sim().CurrentFiber(), token});
    EventId timer;
    if (timeout != Duration::Max()) {
      timer = sim().WakeAt(sim().CurrentFiber(), token, SaturatingAdd(sim().now(), timeout));
    }
    Status s = sim().Wait();
    sim().Cancel(timer);
    receivers_.erase(std::remove_if(receivers_.begin(), receivers_.end(),
                                    [&](const Waiter& w) {
                                      return w.token == token &&
                                             w.fiber.slot == sim().CurrentFiber().slot;
                                    }),
                     receivers_.end());
    if (!s.ok()) return s;
    if (inbox_head_ == inbox_.size()) {
      return Status(Error::kTimeout, Cat("receive on ", name(), " after ", FormatDuration(timeout)));
    }
  }
  Inbound m = std::move(inbox_[inbox_head_++]);
  if (inbox_head_ == inbox_.size()) {
    inbox_.clear();
    inbox_head_ = 0;
  }
  return m;
}

void Env::OnOneWay(NodeId from, WirePayload wire) {
  inbox_.push_back(Inbound{from, std::move(wire)});
  if (receivers_.empty()) return;
  Waiter w = receivers_.front();
  receivers_.erase(receivers_.begin());
  sim().WakeNow(w.fiber, w.token);  // last: may resume the fiber inline
}

}  // namespace faultline
