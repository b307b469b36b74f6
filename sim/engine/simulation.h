// The discrete-event engine (design §3): one thread, virtual time, a queue of
// events keyed by (time, sequence), nodes whose code runs on fibers.
//
// Fibers yield only inside blocking calls (Wait, Sleep, and the Env calls
// built on them), so code between two such calls is atomic.
//
// Node lifecycle:
//   Start/Restart: state Up; the node's hooks boot it (spawn its main fiber).
//   Crash: state Crashed; incarnation bumps so the node's pending timers and
//          wakes are dropped; every fiber of the node is unwound (destructors
//          run; blocking calls return kCrashed instead of suspending); then
//          the hooks drop the node's volatile state.
//   Pause: the node's fibers stay suspended and every event addressed to it
//          (deliveries, timers, wakes) is held, in order, until Resume.
// Lifecycle calls made from inside a fiber are deferred to an event at the
// current time, so a fiber never unwinds itself or its siblings mid-step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/any_invocable.h"
#include "sim/core/rng.h"
#include "sim/core/slab.h"
#include "sim/core/status.h"
#include "sim/engine/event_queue.h"
#include "sim/engine/trace.h"
#include "sim/fiber/fiber.h"

namespace faultline {

enum class NodeState : uint8_t { kStopped, kUp, kPaused, kCrashed };
std::string_view NodeStateName(NodeState s);

// Implemented by the layer that gives nodes their behaviour (sim/node).
class NodeHooks {
 public:
  virtual ~NodeHooks() = default;
  // The node has just (re)started: spawn its fibers. Runs on the scheduler.
  virtual void OnBoot(NodeId node) = 0;
  // The node's fibers are all unwound: drop its volatile state.
  virtual void OnCrash(NodeId node) = 0;
  // A hint, as EventHandler::Prefetch: one of the node's fibers runs soon.
  virtual void PrefetchNode(NodeId node, size_t distance) {}
};

// Handles events of a kind registered with RegisterHandler.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void HandleEvent(Time at, const Event& e) = 0;
  // The event will never run (its node crashed while it was held): release
  // whatever it refers to.
  virtual void DropEvent(const Event& e) = 0;
  // A hint: `e` is due `distance` events from now (0 = next). Prefetch what
  // it will touch, following only pointers a farther pass prefetched. Must
  // not change any state: `e` may never run.
  virtual void Prefetch(const Event& e, size_t distance) {}
};

struct FiberHandle {
  uint32_t slot = UINT32_MAX;
  uint32_t generation = 0;
  bool valid() const { return slot != UINT32_MAX; }
  uint64_t packed() const { return (uint64_t{generation} << 32) | slot; }
};

enum class StopReason { kTimeLimit, kQuiescent, kStopRequested, kEventLimit };
std::string_view StopReasonName(StopReason r);

// Prefetch hints (see Simulation::PrefetchUpcoming) pay off once the
// nodes' state outgrows the caches and cost instructions before that.
// They never change a run: tests compare trace hashes with them on and off.
// PHOLD (BM_PHOLDPrefetch), off vs on: 1,000 nodes 2.02-2.11M vs 2.06M
// msgs/CPU-s (no difference), 10,000 nodes 388-427k vs 646-652k, 100,000
// nodes 230-276k vs 432-453k.
enum class Prefetch : uint8_t { kAuto, kOn, kOff };
inline constexpr size_t kPrefetchAutoNodes = 4096;  // kAuto: on from this many nodes

struct SimOptions {
  uint64_t seed = 1;
  size_t stack_bytes = 64 * 1024;
  // Stacks with a guard page before the rest get canaries (ADR 0002); 0 is
  // automatic, from vm.max_map_count. Valgrind wants few mappings: use 1.
  size_t guarded_stacks_max = 0;
  bool trace_log = false;  // keep the per-event hash log for replay diffs
  Prefetch prefetch = Prefetch::kAuto;
};

// A structured log line: an event name and key/value fields, stamped with
// virtual time and the node. Part of the trace hash (event and fields, in
// order), so a replay that logs differently diverges.
struct LogField {
  std::string key;
  std::string value;
  bool operator==(const LogField&) const = default;
};
struct LogRecord {
  Time at;
  NodeId node;
  std::string event;
  std::vector<LogField> fields;
  // "12.000250000s n3 lease.expired holder=n1 term=4"
  std::string ToString(const std::string& node_name) const;
};

class Simulation {
 public:
  explicit Simulation(SimOptions options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Time now() const { return now_; }
  uint64_t seed() const { return options_.seed; }
  // The named stream of this run's seed, created on first use. Stable address.
  Rng& Stream(std::string_view name);
  Rng& NodeRng(NodeId node) { return node_record(node).rng; }

  // ---- nodes ----
  NodeId AddNode(std::string name, NodeHooks* hooks);
  size_t node_count() const { return nodes_.size(); }
  const std::string& NodeName(NodeId node) const;
  // Error names the unknown node and lists the known ones.
  Result<NodeId> FindNode(std::string_view name) const;
  bool HasNode(NodeId node) const { return node.valid() && node.value < nodes_.size(); }
  NodeState state(NodeId node) const { return life(node).state; }
  uint32_t incarnation(NodeId node) const { return life(node).incarnation; }
  void Start(NodeId node);
  void Crash(NodeId node);
  void Restart(NodeId node);
  void Pause(NodeId node);
  void Resume(NodeId node);

  // ---- events ----
  // An event owned by `e.node` (if valid) with incarnation 0 filled in as the
  // node's current one when `tied`. Returns an invalid id when the node is
  // crashed or stopped and the event is tied to it.
  EventId Schedule(Time at, Event e, bool tied);
  // The same for an event at now() + `delay`, by callers that use a few
  // fixed delays over and over (a constant-latency link): those events come
  // due in the order scheduled, so they wait in a FIFO lane, not the heap.
  // The order of events is the one Schedule would give. Not cancellable.
  void ScheduleAfter(Duration delay, Event e, bool tied);
  EventId ScheduleCallback(Time at, NodeId node, absl::AnyInvocable<void()> fn);
  bool Cancel(EventId id);
  // From inside HandleEvent: run the current event again at `at`, keeping
  // its original place among events of that time (a clogged link).
  void Requeue(Time at, const Event& e);
  void RegisterHandler(EventKind kind, EventHandler* handler);
  size_t pending_events() const { return queue_.size(); }

  // ---- fibers ----
  // A new fiber on `node`, started by an event at now(). Invalid handle if
  // the node is not up (or paused).
  FiberHandle Spawn(NodeId node, std::string name, std::function<void()> body);
  NodeId CurrentNode() const;
  FiberHandle CurrentFiber() const { return current_fiber_; }
  bool InFiber() const { return current_fiber_.valid(); }
  // A hint, as EventHandler::Prefetch: the fiber will run soon; at distance
  // 0 its record is read and its state on its stack prefetched.
  void PrefetchFiber(FiberHandle f, size_t distance) const;
  // True while the current fiber is being unwound by a crash.
  bool CurrentUnwinding() const;
  size_t fiber_count() const { return fibers_.in_use(); }

  // Blocking protocol, inside a fiber: take a token, arrange for a wake with
  // it (WakeAt / WakeNow from elsewhere), then Wait(). Wakes carrying an old
  // token are ignored, so a timeout and a reply can race safely.
  uint64_t PrepareWait();
  // kCrashed (without suspending) if the node is crashing; otherwise OK once
  // woken with the current token.
  Status Wait();
  EventId WakeAt(FiberHandle f, uint64_t token, Time at);
  // From the scheduler's context the fiber resumes before WakeNow returns;
  // call it last in a handler. From a fiber it is scheduled at now().
  void WakeNow(FiberHandle f, uint64_t token);
  Status Sleep(Duration d);

  // Called for every crash, on any path, after the node's fibers are
  // unwound and before its hooks drop volatile state (the world uses it to
  // take the node's unsynced writes). `owner` identifies the listener for
  // removal; it is never compared for order.
  void AddCrashListener(const void* owner, absl::AnyInvocable<void(NodeId)> fn);
  void RemoveCrashListeners(const void* owner);

  // Unwinds every fiber of every node (no hooks are called). The layer that
  // owns node state calls this before destroying it, since fiber stacks
  // still point into it; ~Simulation calls it too.
  void UnwindAll();

  // ---- running ----
  StopReason Run(Time until, uint64_t max_events = UINT64_MAX);
  void RequestStop() { stop_requested_ = true; }

  // ---- trace ----
  Trace& trace() { return trace_; }
  uint64_t trace_hash() const { return trace_.hash(); }
  uint64_t events_executed() const { return trace_.events(); }
  // FoundationDB's "unseed": a digest of the next value of every stream,
  // taken without advancing them. Equal unseeds mean the runs consumed the
  // same randomness.
  uint64_t Unseed() const;
  void Log(NodeId node, std::string event, std::vector<LogField> fields = {});
  void SetLogSink(std::function<void(const LogRecord&)> sink) { log_sink_ = std::move(sink); }
  std::string AssertContext() const;

 private:
  struct HeldEvent {
    Event event;
    uint64_t seq;
  };
  struct FiberRecord {
    Fiber fiber;  // one pointer, to the fiber's state on its own stack
    const void* stack_hint = nullptr;  // fiber.suspended_at(), for prefetching
    NodeId node;
    uint32_t generation = 0;
    uint64_t token = 0;
    std::string name;
  };

  // What the run loop reads for every event, kept apart from NodeRecord in
  // one dense array: at 100,000 nodes this stays in cache, the records don't.
  struct NodeLife {
    NodeState state = NodeState::kStopped;
    bool crashing = false;  // its fibers are being unwound
    uint32_t incarnation = 1;
  };
  // The node's stream first and on a line of its own start: every send
  // and sleep of a PHOLD node draws from it, one cache miss at 100,000.
  struct alignas(64) NodeRecord {
    Rng rng{0};
    NodeHooks* hooks = nullptr;  // with rng, in the first line
    std::string name;
    std::vector<uint32_t> fibers;  // slots, in spawn order
    std::vector<HeldEvent> held;   // events that arrived while paused
  };
  enum class LifecycleOp : uint8_t { kCrash = 1, kRestart, kPause, kResume };

  // Fills in the incarnation of a tied event; false if its node is down.
  bool Tie(Event* e, bool tied) const;
  void Dispatch(Time at, const Event& e);
  // At 100,000 nodes most of an event's time is cache misses on its node's
  // records, fiber stack and message, one after another. Prefetching for
  // the events queued behind the current one overlaps them with its work.
  void PrefetchUpcoming();
  void PrefetchEvent(const Event& e, size_t distance);
  // The heap shows one event ahead: its near pass waits for the next pop,
  // by when what its far pass prefetched has arrived.
  Event deferred_prefetch_;
  bool has_deferred_prefetch_ = false;
  // Lines of a suspended fiber's stack prefetched from its stack pointer up:
  // PHOLD at 100,000 nodes measured 0, 3, 6 and 9 (medians 440k, 463k,
  // 481k, 460k messages per CPU-second).
  static constexpr int kStackLinesToPrefetch = 6;
  void DropEvent(const Event& e);
  void FreeCallback(uint32_t slot);
  void RunWake(const Event& e);
  void ResumeFiber(uint32_t slot);
  void FreeFiber(uint32_t slot);
  void DeferLifecycle(NodeId node, LifecycleOp op);
  void ApplyLifecycle(NodeId node, LifecycleOp op);
  void DoCrash(NodeId node);
  // Unwinds the node's fibers in spawn order and frees them.
  // REQUIRES: the node is marked crashing, so blocking calls return at once.
  void UnwindFibers(NodeId node);
  void DoStart(NodeId node);
  void DoPause(NodeId node);
  void DoResume(NodeId node);
  NodeLife& life(NodeId node) {
    SIM_ASSERT_MSG(HasNode(node), "no such node");
    return life_[node.value];
  }
  const NodeLife& life(NodeId node) const {
    SIM_ASSERT_MSG(HasNode(node), "no such node");
    return life_[node.value];
  }
  NodeRecord& node_record(NodeId node) {
    SIM_ASSERT_MSG(HasNode(node), "no such node");
    return *nodes_[node.value];
  }
  const NodeRecord& node_record(NodeId node) const {
    SIM_ASSERT_MSG(HasNode(node), "no such node");
    return *nodes_[node.value];
  }

  SimOptions options_;
  Time now_;
  EventQueue queue_;
  Trace trace_;
  StackPool stacks_;
  std::vector<std::unique_ptr<NodeRecord>> nodes_;
  std::vector<NodeLife> life_;  // parallel to nodes_
  Slab<FiberRecord> fibers_;
  FiberHandle current_fiber_;
  uint64_t current_seq_ = 0;  // sequence number of the event being run
  Slab<absl::AnyInvocable<void()>> callbacks_;
  EventHandler* handlers_[kEventKindCount] = {};
  absl::btree_map<std::string, std::unique_ptr<Rng>, std::less<>> streams_;
  absl::btree_map<std::string, NodeId, std::less<>> node_index_;  // name -> id
  std::function<void(const LogRecord&)> log_sink_;
  std::vector<std::pair<const void*, absl::AnyInvocable<void(NodeId)>>> crash_listeners_;
  bool stop_requested_ = false;
  bool running_ = false;
};

}  // namespace faultline
