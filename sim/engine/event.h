// Events: the unit of work of the run loop. An event is plain data; what it
// does is decided by its kind (design §3). Allocation-free on the hot path.
#pragma once

#include <cstdint>

#include "sim/core/ids.h"
#include "sim/core/time.h"

namespace faultline {

enum class EventKind : uint8_t {
  kWake = 1,      // resume fiber slot `a` if its wait token is still `b`
  kCallback = 2,  // run the callback stored in slot `a` of the callback table
  kDeliver = 3,   // a network delivery; handled by the registered handler
  kLifecycle = 4, // a deferred crash/restart/pause/resume requested from a fiber
  kUser = 8,      // first kind free for handlers registered by upper layers
};
inline constexpr int kEventKindCount = 16;

struct Event {
  EventKind kind = EventKind::kCallback;
  // The node this event belongs to, or invalid. A node's events are held
  // while it is paused. If `incarnation` is non-zero the event is dropped
  // once the node has crashed after it was scheduled.
  NodeId node;
  uint32_t incarnation = 0;
  uint64_t a = 0;
  uint64_t b = 0;
};

// A handle for cancellation. Stale handles are harmless: Cancel() of an
// event that already ran or was cancelled returns false.
struct EventId {
  uint32_t slot = UINT32_MAX;
  uint32_t generation = 0;
  bool valid() const { return slot != UINT32_MAX; }
};

}  // namespace faultline
