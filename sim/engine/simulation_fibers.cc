// Fibers of the simulation: spawning, the wait/wake protocol, and exit.
#include "sim/engine/simulation.h"

#include "sim/core/prefetch.h"

namespace faultline {

FiberHandle Simulation::Spawn(NodeId node, std::string name, std::function<void()> body) {
  SIM_ASSERT(HasNode(node));
  const NodeLife& life = life_[node.value];
  if (life.state == NodeState::kCrashed || life.state == NodeState::kStopped || life.crashing) {
    return FiberHandle{};
  }
  NodeRecord& n = *nodes_[node.value];
  uint32_t slot = fibers_.Acquire();
  FiberRecord& r = fibers_[slot];
  r.fiber = Fiber(&stacks_, std::move(body));
  r.node = node;
  r.token = 1;  // the start event carries token 1
  r.name = std::move(name);
  n.fibers.push_back(slot);
  FiberHandle h{slot, r.generation};
  Schedule(now_, Event{.kind = EventKind::kWake, .node = node, .a = h.packed(), .b = 1},
           /*tied=*/true);
  return h;
}

void Simulation::PrefetchFiber(FiberHandle f, size_t distance) const {
  if (f.slot >= fibers_.capacity()) return;
  const FiberRecord& r = fibers_[f.slot];
  if (distance > 0) {
    PrefetchRead(&r);
    if (HasNode(r.node)) PrefetchRead(nodes_[r.node.value].get());  // rng and hooks
    return;
  }
  r.fiber.Prefetch();
  // The saved registers and the innermost frames the fiber returns through.
  if (const char* sp = static_cast<const char*>(r.stack_hint)) {
    for (int line = 0; line < kStackLinesToPrefetch; ++line) PrefetchRead(sp + 64 * line);
  }
  if (HasNode(r.node)) PrefetchRead(&nodes_[r.node.value]->rng);  // most steps draw from it
}

NodeId Simulation::CurrentNode() const {
  return current_fiber_.valid() ? fibers_[current_fiber_.slot].node : NodeId();
}

bool Simulation::CurrentUnwinding() const {
  if (!current_fiber_.valid()) return false;
  return life_[fibers_[current_fiber_.slot].node.value].crashing;
}

uint64_t Simulation::PrepareWait() {
  SIM_ASSERT_MSG(InFiber(), "PrepareWait() outside a fiber");
  return ++fibers_[current_fiber_.slot].token;
}

Status Simulation::Wait() {
  SIM_ASSERT_MSG(InFiber(), "Wait() outside a fiber");
  if (CurrentUnwinding()) return Status(Error::kCrashed, "node is crashing");
  Fiber::Suspend();  // throws FiberUnwind if the node crashes meanwhile
  return Status::Ok();
}

EventId Simulation::WakeAt(FiberHandle f, uint64_t token, Time at) {
  SIM_ASSERT(f.valid() && f.slot < fibers_.capacity());
  const FiberRecord& r = fibers_[f.slot];
  if (r.generation != f.generation) return EventId{};
  return Schedule(at, Event{.kind = EventKind::kWake, .node = r.node, .a = f.packed(), .b = token},
                  /*tied=*/true);
}

void Simulation::WakeNow(FiberHandle f, uint64_t token) {
  SIM_ASSERT(f.valid() && f.slot < fibers_.capacity());
  FiberRecord& r = fibers_[f.slot];
  if (r.generation != f.generation || r.token != token) return;
  const NodeLife& n = life_[r.node.value];
  if (InFiber() || n.state != NodeState::kUp || n.crashing) {
    // Through the queue: a paused node holds it, a crashed one drops it.
    WakeAt(f, token, now_);
    return;
  }
  trace_.Add(f.packed());
  ResumeFiber(f.slot);
}

Status Simulation::Sleep(Duration d) {
  SIM_ASSERT_MSG(d.nanos() >= 0, "negative sleep");
  uint64_t token = PrepareWait();
  if (CurrentUnwinding()) return Status(Error::kCrashed, "node is crashing");
  WakeAt(current_fiber_, token, SaturatingAdd(now_, d));
  return Wait();
}

void Simulation::RunWake(const Event& e) {
  uint32_t slot = static_cast<uint32_t>(e.a & 0xffffffffu);
  uint32_t generation = static_cast<uint32_t>(e.a >> 32);
  if (slot >= fibers_.capacity()) return;
  FiberRecord& r = fibers_[slot];
  if (r.generation != generation || r.token != e.b || !r.fiber) return;  // stale
  trace_.BeginEvent(now_, e);
  ResumeFiber(slot);
  trace_.EndEvent();
}

void Simulation::ResumeFiber(uint32_t slot) {
  FiberRecord& r = fibers_[slot];
  current_fiber_ = FiberHandle{slot, r.generation};
  // Resume() rethrows a service exception (a bug, reported by whoever called
  // Run); the fiber has finished by then and is freed all the same.
  struct After {
    Simulation* sim;
    uint32_t slot;
    ~After() {
      sim->current_fiber_ = FiberHandle{};
      FiberRecord& r = sim->fibers_[slot];  // again: the fiber may have moved it
      if (r.fiber.finished()) {
        sim->FreeFiber(slot);
      } else {
        r.stack_hint = r.fiber.suspended_at();
      }
    }
  } after{this, slot};
  // Resume() must not touch its Fiber after the switch: a Spawn from the
  // fiber may move the records (and so the Fiber handle) meanwhile.
  r.fiber.Resume();
}

void Simulation::FreeFiber(uint32_t slot) {
  FiberRecord& r = fibers_[slot];
  NodeRecord& n = *nodes_[r.node.value];
  for (size_t i = 0; i < n.fibers.size(); ++i) {
    if (n.fibers[i] == slot) {
      n.fibers.erase(n.fibers.begin() + static_cast<ptrdiff_t>(i));
      break;
    }
  }
  r.fiber = Fiber();  // returns the stack to the pool
  r.name.clear();
  r.stack_hint = nullptr;
  ++r.generation;
  fibers_.Release(slot);
}

}  // namespace faultline
