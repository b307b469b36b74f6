// Node lifecycle: start, crash, restart, pause, resume (design §3).
#include "sim/core/strings.h"

#include "sim/engine/simulation.h"

namespace faultline {

std::string_view NodeStateName(NodeState s) {
  switch (s) {
    case NodeState::kStopped: return "stopped";
    case NodeState::kUp: return "up";
    case NodeState::kPaused: return "paused";
    case NodeState::kCrashed: return "crashed";
  }
  return "?";
}

NodeId Simulation::AddNode(std::string name, NodeHooks* hooks) {
  SIM_ASSERT(hooks != nullptr);
  NodeId id(static_cast<uint32_t>(nodes_.size()));
  bool inserted = node_index_.emplace(name, id).second;
  SIM_ASSERT_MSG(inserted, "duplicate node name");
  auto rec = std::make_unique<NodeRecord>();
  rec->rng = Rng::Stream(seed(), Cat("node/", name));
  rec->name = std::move(name);
  rec->hooks = hooks;
  nodes_.push_back(std::move(rec));
  life_.emplace_back();
  return id;
}


const std::string& Simulation::NodeName(NodeId node) const { return node_record(node).name; }

Result<NodeId> Simulation::FindNode(std::string_view name) const {
  if (auto it = node_index_.find(name); it != node_index_.end()) return it->second;
  std::vector<std::string_view> known;
  for (size_t i = 0; i < nodes_.size() && i < 16; ++i) known.push_back(nodes_[i]->name);
  std::string more = nodes_.size() > 16 ? Cat(", ... (", nodes_.size(), " nodes)") : "";
  return InvalidArgument(Cat("unknown node \"", name, "\" (known: ",
                                      Join(known, ", "), more, ")"));
}

void Simulation::Start(NodeId node) { DeferLifecycle(node, LifecycleOp::kRestart); }
void Simulation::Restart(NodeId node) { DeferLifecycle(node, LifecycleOp::kRestart); }
void Simulation::Crash(NodeId node) { DeferLifecycle(node, LifecycleOp::kCrash); }
void Simulation::Pause(NodeId node) { DeferLifecycle(node, LifecycleOp::kPause); }
void Simulation::Resume(NodeId node) { DeferLifecycle(node, LifecycleOp::kResume); }

void Simulation::DeferLifecycle(NodeId node, LifecycleOp op) {
  node_record(node);  // asserts the node exists
  if (!InFiber()) {
    ApplyLifecycle(node, op);
    return;
  }
  Schedule(now_, Event{.kind = EventKind::kLifecycle, .node = node, .a = static_cast<uint64_t>(op)},
           /*tied=*/false);
}

// Each operation is ignored in a state where it means nothing (crashing a
// crashed node, resuming a running one), so a random nemesis need not track
// state; the switchboard records only what took effect.
void Simulation::ApplyLifecycle(NodeId node, LifecycleOp op) {
  NodeState s = life(node).state;
  trace_.Add(0x4c494645000000ULL | (static_cast<uint64_t>(op) << 8) | node.value);
  switch (op) {
    case LifecycleOp::kCrash:
      if (s == NodeState::kUp || s == NodeState::kPaused) DoCrash(node);
      return;
    case LifecycleOp::kRestart:
      if (s == NodeState::kStopped || s == NodeState::kCrashed) DoStart(node);
      return;
    case LifecycleOp::kPause:
      if (s == NodeState::kUp) DoPause(node);
      return;
    case LifecycleOp::kResume:
      if (s == NodeState::kPaused) DoResume(node);
      return;
  }
}

void Simulation::DoStart(NodeId node) {
  life(node).state = NodeState::kUp;
  node_record(node).hooks->OnBoot(node);
}

void Simulation::DoCrash(NodeId node) {
  // Looked up again after each call out: a hook could add nodes and move
  // life_ (a vector); the records behind nodes_ do not move.
  NodeRecord& n = node_record(node);
  life(node).state = NodeState::kCrashed;
  ++life(node).incarnation;  // drops every tied event still queued for the old life
  std::vector<HeldEvent> held = std::move(n.held);
  n.held.clear();
  for (const HeldEvent& h : held) DropEvent(h.event);
  life(node).crashing = true;
  UnwindFibers(node);
  for (auto& [owner, fn] : crash_listeners_) fn(node);
  n.hooks->OnCrash(node);
  life(node).crashing = false;
}

void Simulation::UnwindFibers(NodeId node) {
  NodeRecord& n = node_record(node);
  std::vector<uint32_t> fibers = n.fibers;  // unwinding edits n.fibers
  for (uint32_t slot : fibers) {
    current_fiber_ = FiberHandle{slot, fibers_[slot].generation};
    fibers_[slot].fiber.Unwind();
    current_fiber_ = FiberHandle{};
    FreeFiber(slot);
  }
  SIM_ASSERT(n.fibers.empty());
}

void Simulation::AddCrashListener(const void* owner, absl::AnyInvocable<void(NodeId)> fn) {
  crash_listeners_.emplace_back(owner, std::move(fn));
}

void Simulation::RemoveCrashListeners(const void* owner) {
  std::erase_if(crash_listeners_, [owner](const auto& l) { return l.first == owner; });
}

void Simulation::DoPause(NodeId node) { life(node).state = NodeState::kPaused; }

void Simulation::DoResume(NodeId node) {
  NodeRecord& n = node_record(node);
  life(node).state = NodeState::kUp;
  std::vector<HeldEvent> held = std::move(n.held);
  n.held.clear();
  // Re-queue at the resume instant under their original sequence numbers:
  // they keep their order, and come before anything scheduled after them.
  for (const HeldEvent& h : held) queue_.PushWithSeq(now_, h.event, h.seq);
}

}  // namespace faultline
