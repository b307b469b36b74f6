#include "sim/engine/simulation.h"

#include "sim/core/prefetch.h"
#include "sim/core/strings.h"

namespace faultline {

std::string_view StopReasonName(StopReason r) {
  switch (r) {
    case StopReason::kTimeLimit: return "time limit";
    case StopReason::kQuiescent: return "quiescent";
    case StopReason::kStopRequested: return "stop requested";
    case StopReason::kEventLimit: return "event limit";
  }
  return "?";
}

namespace {
std::string AssertContextThunk(void* ctx) {
  return static_cast<const Simulation*>(ctx)->AssertContext();
}
}  // namespace

Simulation::Simulation(SimOptions options)
    : options_(options),
      trace_(options.seed),
      stacks_(StackPool::Options{.stack_bytes = options.stack_bytes,
                                 .guarded_stacks_max = options.guarded_stacks_max}) {
  trace_.EnableLog(options.trace_log);
  SetAssertContext(&AssertContextThunk, this);
}

Simulation::~Simulation() {
  UnwindAll();
  ClearAssertContext(this);
}

void Simulation::UnwindAll() {
  SIM_ASSERT_MSG(!InFiber(), "UnwindAll() from inside a fiber");
  for (size_t i = 0; i < nodes_.size(); ++i) {
    NodeId node(static_cast<uint32_t>(i));
    bool was_crashing = life(node).crashing;
    life(node).crashing = true;
    UnwindFibers(node);
    life(node).crashing = was_crashing;
  }
}

std::string Simulation::AssertContext() const {
  std::string out = Cat("seed=", options_.seed, " t=", FormatTime(now_));
  NodeId n = CurrentNode();
  if (n.valid()) Append(&out, " node=", nodes_[n.value]->name);
  return out;
}

Rng& Simulation::Stream(std::string_view name) {
  auto it = streams_.find(name);
  if (it == streams_.end()) {
    it = streams_.emplace(std::string(name), std::make_unique<Rng>(Rng::Stream(seed(), name))).first;
  }
  return *it->second;
}

uint64_t Simulation::Unseed() const {
  RunningHash h(options_.seed);
  for (const auto& [name, rng] : streams_) {  // btree: sorted by name
    Rng copy = *rng;
    h.Add(HashString(name));
    h.Add(copy.Next());
  }
  for (const auto& n : nodes_) {
    Rng copy = n->rng;
    h.Add(copy.Next());
  }
  return h.value();
}

void Simulation::Log(NodeId node, std::string event, std::vector<LogField> fields) {
  uint64_t h = HashString(event, node.value);
  for (const LogField& f : fields) h = HashString(f.value, HashString(f.key, h));
  trace_.Add(h);
  if (log_sink_) log_sink_(LogRecord{now_, node, std::move(event), std::move(fields)});
}

std::string LogRecord::ToString(const std::string& node_name) const {
  std::string out = Cat(FormatTime(at), " ", node_name, " ", event);
  for (const LogField& f : fields) Append(&out, " ", f.key, "=", f.value);
  return out;
}

// ---- events ----

bool Simulation::Tie(Event* e, bool tied) const {
  if (!e->node.valid()) return true;
  SIM_ASSERT(HasNode(e->node));
  if (!tied) return true;
  const NodeLife& n = life_[e->node.value];
  if (n.state == NodeState::kCrashed || n.state == NodeState::kStopped || n.crashing) {
    return false;
  }
  e->incarnation = n.incarnation;
  return true;
}

EventId Simulation::Schedule(Time at, Event e, bool tied) {
  SIM_ASSERT_MSG(at >= now_, "scheduling an event in the past");
  if (!Tie(&e, tied)) return EventId{};
  return queue_.Push(at, e);
}

void Simulation::ScheduleAfter(Duration delay, Event e, bool tied) {
  SIM_ASSERT_MSG(delay >= Duration::Zero(), "scheduling an event in the past");
  if (!Tie(&e, tied)) return;
  queue_.PushFifo(SaturatingAdd(now_, delay), delay.nanos(), e);
}

EventId Simulation::ScheduleCallback(Time at, NodeId node, absl::AnyInvocable<void()> fn) {
  uint32_t slot = callbacks_.Acquire();
  Event e{.kind = EventKind::kCallback, .node = node, .a = slot};
  EventId id = Schedule(at, e, /*tied=*/node.valid());
  if (!id.valid()) {
    callbacks_.Release(slot);
    return id;
  }
  callbacks_[slot] = std::move(fn);
  return id;
}

bool Simulation::Cancel(EventId id) {
  Event cancelled;
  if (!queue_.Cancel(id, &cancelled)) return false;
  DropEvent(cancelled);
  return true;
}

void Simulation::Requeue(Time at, const Event& e) {
  SIM_ASSERT(at >= now_);
  queue_.PushWithSeq(at, e, current_seq_);
}

void Simulation::FreeCallback(uint32_t slot) {
  callbacks_[slot] = nullptr;  // destroys the captures now, while their world exists
  callbacks_.Release(slot);
}

// The one path by which an event that will never run releases what it
// refers to: a callback's captures, a network packet.
void Simulation::DropEvent(const Event& e) {
  switch (e.kind) {
    case EventKind::kCallback:
      FreeCallback(static_cast<uint32_t>(e.a));
      return;
    case EventKind::kWake:
    case EventKind::kLifecycle:
      return;
    default:
      if (EventHandler* h = handlers_[static_cast<int>(e.kind)]) h->DropEvent(e);
      return;
  }
}

void Simulation::RegisterHandler(EventKind kind, EventHandler* handler) {
  int k = static_cast<int>(kind);
  SIM_ASSERT(k >= static_cast<int>(EventKind::kDeliver) && k < kEventKindCount);
  SIM_ASSERT_MSG(handlers_[k] == nullptr || handler == nullptr, "handler already registered");
  handlers_[k] = handler;
}

// ---- the run loop ----

StopReason Simulation::Run(Time until, uint64_t max_events) {
  SIM_ASSERT_MSG(!running_ && !InFiber(), "Run() is not reentrant");
  SIM_ASSERT_MSG(until >= now_, "Run() until a time in the past");
  running_ = true;
  // A service exception propagates out of Run (a bug to report); leave the
  // simulation in a state that can still be destroyed cleanly.
  struct Done {
    bool* running;
    ~Done() { *running = false; }
  } done{&running_};
  stop_requested_ = false;
  uint64_t budget = max_events;
  const bool prefetch = options_.prefetch == Prefetch::kOn ||
                        (options_.prefetch == Prefetch::kAuto && nodes_.size() >= kPrefetchAutoNodes);
  has_deferred_prefetch_ = false;
  StopReason reason = StopReason::kQuiescent;
  for (;;) {
    if (stop_requested_) { reason = StopReason::kStopRequested; break; }
    Time at;
    Event e;
    // The budget ends a run only when an event is due; otherwise the run
    // ends as it would have (quiescent, or at the time limit).
    if (budget == 0 && !queue_.empty() && queue_.PeekTime() <= until) {
      reason = StopReason::kEventLimit;
      break;
    }
    if (!queue_.PopUntil(until, &at, &e, &current_seq_)) {
      if (queue_.empty()) {
        reason = StopReason::kQuiescent;
      } else {
        now_ = until;
        reason = StopReason::kTimeLimit;
      }
      break;
    }
    --budget;
    now_ = at;
    if (prefetch) PrefetchUpcoming();
    if (e.node.valid()) {
      const NodeLife& n = life_[e.node.value];
      if (e.incarnation != 0 && e.incarnation != n.incarnation) {  // crashed since
        DropEvent(e);
        continue;
      }
      if (n.state == NodeState::kPaused && e.kind != EventKind::kLifecycle) {
        nodes_[e.node.value]->held.push_back(HeldEvent{e, current_seq_});
        continue;
      }
    }
    Dispatch(at, e);
  }
  return reason;
}

void Simulation::PrefetchUpcoming() {
  if (has_deferred_prefetch_) {
    has_deferred_prefetch_ = false;
    PrefetchEvent(deferred_prefetch_, 0);
  }
  const Event* next[4];
  const size_t n = queue_.Upcoming(next, 4);
  if (n == 0) return;
  if (queue_.last_pop_from_heap()) {
    PrefetchEvent(*next[0], 1);
    deferred_prefetch_ = *next[0];
    has_deferred_prefetch_ = true;
    return;
  }
  for (size_t i = 0; i < n; ++i) PrefetchEvent(*next[i], i);
}

void Simulation::PrefetchEvent(const Event& e, size_t distance) {
  if (!HasNode(e.node)) return;
  PrefetchRead(&life_[e.node.value]);
  if (e.kind == EventKind::kWake) {
    PrefetchFiber(FiberHandle{static_cast<uint32_t>(e.a), static_cast<uint32_t>(e.a >> 32)},
                  distance);
    if (distance == 0) nodes_[e.node.value]->hooks->PrefetchNode(e.node, 0);
  } else if (static_cast<int>(e.kind) >= static_cast<int>(EventKind::kDeliver) &&
             static_cast<int>(e.kind) < kEventKindCount) {
    if (EventHandler* h = handlers_[static_cast<int>(e.kind)]) h->Prefetch(e, distance);
  }
}

void Simulation::Dispatch(Time at, const Event& e) {
  switch (e.kind) {
    case EventKind::kWake:
      RunWake(e);  // hashes itself: a stale wake is not an event
      return;
    case EventKind::kCallback: {
      trace_.BeginEvent(at, e);
      // Move out first: the callback may schedule and reuse its own slot.
      absl::AnyInvocable<void()> fn = std::move(callbacks_[e.a]);
      FreeCallback(static_cast<uint32_t>(e.a));
      fn();
      trace_.EndEvent();
      return;
    }
    case EventKind::kLifecycle:
      trace_.BeginEvent(at, e);
      ApplyLifecycle(e.node, static_cast<LifecycleOp>(e.a));
      trace_.EndEvent();
      return;
    default: {
      EventHandler* h = handlers_[static_cast<int>(e.kind)];
      SIM_ASSERT_MSG(h != nullptr, "no handler for event kind");
      trace_.BeginEvent(at, e);
      h->HandleEvent(at, e);
      trace_.EndEvent();
      return;
    }
  }
}

}  // namespace faultline
