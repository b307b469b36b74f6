#include "sim/node/condition.h"

#include <algorithm>

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline {

Condition::~Condition() {
  // Fibers still waiting would hold pointers into a dead object: a crash
  // unwinds them before the service (and this) is destroyed.
  SIM_ASSERT_MSG(waiters_.empty(), "a Condition destroyed with fibers waiting on it");
}

Status Condition::Wait(Duration timeout) {
  Simulation& sim = env_.sim();
  SIM_ASSERT_MSG(sim.CurrentNode() == env_.id(), "Condition::Wait from another node's fiber");
  if (timeout < Duration::Zero()) return Status(Error::kTimeout, "condition wait with no time left");
  const uint64_t token = sim.PrepareWait();
  if (sim.CurrentUnwinding()) return Status(Error::kCrashed, "node is crashing");
  bool notified = false;
  const FiberHandle self = sim.CurrentFiber();
  waiters_.push_back(Waiter{self, token, &notified});
  // Leaves the list however the wait ends, also when a crash unwinds it.
  struct Leave {
    std::vector<Waiter>& list;
    const bool* mine;  // this wait's flag: unique while it waits
    ~Leave() {
      list.erase(std::remove_if(list.begin(), list.end(), [&](const Waiter& w) { return w.notified == mine; }),
                 list.end());
    }
  } leave{waiters_, &notified};
  EventId timer;
  if (timeout != Duration::Max()) timer = sim.WakeAt(self, token, SaturatingAdd(sim.now(), timeout));
  Status s = sim.Wait();
  sim.Cancel(timer);
  if (!s.ok()) return s;
  if (!notified) return Status(Error::kTimeout, Cat("condition wait on ", env_.name(), " timed out"));
  return Status::Ok();
}

void Condition::NotifyAll() {
  std::vector<Waiter> woken;
  woken.swap(waiters_);
  for (const Waiter& w : woken) *w.notified = true;
  // From a fiber, WakeNow schedules each wake at now(); woken fibers run
  // after this one blocks, in wait order.
  for (const Waiter& w : woken) env_.sim().WakeNow(w.fiber, w.token);
}

}  // namespace faultline
