// A fiber: a function running on its own stack, switched cooperatively.
// This and fiber.cc are the only code in the project that includes
// boost/context (design §1, style.md §6).
//
// Contract:
//  - Resume() is called from the scheduler's context (not from a fiber); it
//    runs the fiber until it calls Suspend() or returns.
//  - Suspend() is called from inside the running fiber and returns when the
//    fiber is next resumed.
//  - Unwind() forces a suspended fiber to finish: Suspend() throws
//    FiberUnwind at its suspension point, so every destructor on the fiber's
//    stack runs. FiberUnwind is not a std::exception; code that catches (...)
//    must rethrow. A fiber that suspends again while unwinding gets the throw
//    again; one that swallows it and returns is fine.
//  - Never suspend inside a catch block: the C++ runtime's chain of caught
//    exceptions is per thread, not per fiber.
//  - Never call Suspend() from a destructor: during a forced unwind it
//    throws, and a throwing destructor terminates. Blocking calls of the
//    layers above check for the unwind first and return an error instead.
//  - An exception other than FiberUnwind escaping the body is rethrown by
//    Resume() on the scheduler's side.
//
// Layout: a Fiber is one pointer. Its state lives at the top of its own
// stack, beside the registers a switch saves, so resuming a cold fiber
// touches one page rather than a heap object, the stack, and a heap object's
// stack pointer (at 100,000 fibers each of those is a cache and TLB miss).
// The stack goes back to the pool when the Fiber is destroyed.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>

#include "sim/core/prefetch.h"
#include "sim/fiber/stack_pool.h"

namespace faultline {

struct FiberUnwind {};

class Fiber {
 public:
  using Body = std::function<void()>;

  Fiber() = default;  // no fiber; only assignable and destructible
  Fiber(StackPool* pool, Body body);
  // REQUIRES: finished() or never resumed. Call Unwind() first to end a
  // suspended fiber.
  ~Fiber();
  Fiber(Fiber&& other) noexcept : state_(other.state_) { other.state_ = nullptr; }
  Fiber& operator=(Fiber&& other) noexcept;
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  void Resume();
  void Unwind();
  explicit operator bool() const { return state_ != nullptr; }
  // A hint that the fiber will be resumed soon: prefetches its state.
  void Prefetch() const {
    if (state_ != nullptr) PrefetchRead(state_);
  }
  // Where the suspended fiber's stack pointer is (its saved registers, then
  // its innermost frames above them); null if it is not suspended. For
  // prefetching only.
  const void* suspended_at() const;
  bool finished() const;

  // True while a fiber runs (false on the scheduler's context).
  static bool InFiber();
  // REQUIRES: InFiber().
  static void Suspend();

 private:
  struct State;
  static const size_t kReserved;  // bytes the State takes at the stack's top
  static State* current_;  // the running fiber; one thread per run (design §2)
  State* state_ = nullptr;
};

}  // namespace faultline
