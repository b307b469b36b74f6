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
#pragma once

#include <cstdint>
#include <exception>
#include <functional>

#include "sim/fiber/stack_pool.h"

namespace faultline {

struct FiberUnwind {};

class Fiber {
 public:
  using Body = std::function<void()>;

  Fiber(StackPool* pool, Body body);
  // REQUIRES: finished(). Call Unwind() first to end a suspended fiber.
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  void Resume();
  void Unwind();
  bool finished() const { return finished_; }
  bool started() const { return context_ != nullptr && started_; }

  // The fiber running now, or nullptr on the scheduler's context.
  static Fiber* Current();
  // REQUIRES: Current() != nullptr.
  static void Suspend();

  // Opaque per-fiber pointer for the layer above (the engine's fiber record).
  void* user = nullptr;

 private:
  friend struct FiberAccess;  // the entry trampoline in fiber.cc
  void Run();
  void SwitchIn();
  void SwitchOut(bool finishing);

  StackPool* pool_;
  FiberStack stack_;
  Body body_;
  void* context_ = nullptr;  // fcontext_t of the fiber while it is suspended
  void* caller_ = nullptr;   // fcontext_t of the scheduler while the fiber runs
  bool started_ = false;
  bool finished_ = false;
  bool unwinding_ = false;
  uint32_t switches_ = 0;  // paces canary checks of an unguarded stack
  std::exception_ptr error_;
  // AddressSanitizer bookkeeping (FAULTLINE_ASAN builds only).
  void* asan_fake_stack_ = nullptr;
  const void* asan_caller_bottom_ = nullptr;
  size_t asan_caller_size_ = 0;
};

}  // namespace faultline
