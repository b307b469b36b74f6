// A condition that a node's fibers wait on: a commit index advancing, a
// vote arriving, a lease granted. The waiting side checks its predicate in
// a loop, as with any condition variable:
//
//   while (commit_ < index) {
//     if (Status s = committed_.Wait(deadline - env.now()); !s.ok()) return s;
//   }
//
// and the side that changes the state calls NotifyAll(). No wakeup is
// lost between the check and the wait (code between two blocking calls is
// atomic) and none is spurious: Wait returns OK only after a NotifyAll.
// The condition belongs to one node; it is usually a member of the
// service, which a crash destroys after the node's fibers are unwound.
#pragma once

#include <vector>

#include "sim/node/env.h"

namespace faultline {

class Condition {
 public:
  explicit Condition(Env& env) : env_(env) {}
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;
  ~Condition();

  // Waits for the next NotifyAll: OK; kTimeout after `timeout` without
  // one; kCrashed if the node is going down. From a fiber of this node.
  Status Wait(Duration timeout = Duration::Max());
  // Wakes every fiber waiting now (each at this instant, in wait order).
  void NotifyAll();
  size_t waiting() const { return waiters_.size(); }

 private:
  struct Waiter {
    FiberHandle fiber;
    uint64_t token;
    bool* notified;  // on the waiting fiber's stack
  };
  Env& env_;
  std::vector<Waiter> waiters_;
};

}  // namespace faultline
