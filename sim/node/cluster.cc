#include "sim/node/cluster.h"

#include "sim/core/prefetch.h"


namespace faultline {

Cluster::Cluster(World& world) : world_(world) { world_.network().SetReceiver(this); }

Cluster::~Cluster() {
  // Fiber stacks point into the Envs and services: end them first.
  sim().UnwindAll();
  world_.network().SetReceiver(nullptr);
}

NodeId Cluster::AddNode(std::string name, ServiceFactory factory) {
  SIM_ASSERT(factory);
  NodeId id = world_.AddNode(std::move(name), this);
  SIM_ASSERT(id.value == nodes_.size());
  nodes_.push_back(NodeSlot{nullptr, std::move(factory), nullptr});
  nodes_.back().env = std::make_unique<Env>(*this, id);
  envs_.push_back(nodes_.back().env.get());
  services_.push_back(nullptr);
  return id;
}

void Cluster::StartAll() {
  for (uint32_t i = 0; i < nodes_.size(); ++i) sim().Start(NodeId(i));
}

void Cluster::OnBoot(NodeId node) {
  sim().Spawn(node, "main", [this, node] {
    NodeSlot& slot = nodes_[node.value];
    slot.service = slot.factory(*slot.env);
    SIM_ASSERT_MSG(slot.service != nullptr, "service factory returned null");
    services_[node.value] = slot.service.get();
    slot.service->Run();
  });
}

void Cluster::OnCrash(NodeId node) {
  NodeSlot& slot = nodes_[node.value];
  services_[node.value] = nullptr;
  slot.service.reset();  // after the unwinding: no fiber still points into it
  slot.env->Reset();
}

// The Env's first lines and the service object's first line: what a
// resumed service touches first.
void Cluster::PrefetchNode(NodeId node, size_t distance) {
  if (node.value >= envs_.size()) return;
  if (distance > 0) {
    PrefetchRead(&envs_[node.value]);
    PrefetchRead(&services_[node.value]);
    return;
  }
  const Env* env = envs_[node.value];
  PrefetchRead(env);
  PrefetchRead(reinterpret_cast<const char*>(env) + 64);
  if (const Service* s = services_[node.value]) PrefetchRead(s);
}

// Four steps, each following what the one before brought in: the Env
// pointer; the Env's first lines (inbox and waiting fibers); the waiting
// fiber's record; its state, stack and the node's service object.
void Cluster::PrefetchDelivery(NodeId to, size_t distance) {
  if (to.value >= envs_.size()) return;
  if (distance >= 3) {
    PrefetchRead(&envs_[to.value]);
    PrefetchRead(&services_[to.value]);
    return;
  }
  const Env* env = envs_[to.value];
  if (distance == 2) {
    PrefetchRead(env);
    PrefetchRead(reinterpret_cast<const char*>(env) + 64);
    return;
  }
  if (!env->receivers_.empty()) sim().PrefetchFiber(env->receivers_.front().fiber, distance);
  if (distance == 0) {
    if (const Service* s = services_[to.value]) PrefetchRead(s);
  }
}

void Cluster::Deliver(NodeId from, NodeId to, std::string bytes) {
  EnvelopeHeader h;
  std::string_view payload;
  // Bytes that do not parse, or name the wrong ends or an unknown error code,
  // are dropped as a real stack drops a frame that fails its checksum.
  if (!DecodeEnvelope(bytes, &h, &payload) || h.src != from.value || h.dst != to.value ||
      h.error > static_cast<uint32_t>(Error::kRemote)) {
    ++rpc_stats_.undecodable;
    return;
  }
  Env& env = *envs_[to.value];
  switch (h.kind) {
    case kEnvelopeOneWay:
      env.OnOneWay(from, WirePayload(std::move(bytes), h.method, payload));
      return;
    case kEnvelopeRequest: {
      std::string method(h.method);
      env.OnRequest(from, h.rpc_id, std::move(method), WirePayload(std::move(bytes), h.method, payload));
      return;
    }
    case kEnvelopeResponse:
      env.OnResponse(h, payload);
      return;
    default:
      ++rpc_stats_.undecodable;
      return;
  }
}

}  // namespace faultline
