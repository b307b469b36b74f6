#include "sim/fiber/fiber.h"

#include <boost/context/detail/fcontext.hpp>
#include <new>

#include "sim/core/assert.h"

#if defined(FAULTLINE_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace faultline {

namespace ctx = boost::context::detail;

// Placed at the top of the fiber's stack; the stack proper starts below it.
struct Fiber::State {
  StackPool* pool;
  FiberStack stack;  // the whole stack, this State included
  Body body;
  void* context = nullptr;  // fcontext_t of the fiber while it is suspended
  void* caller = nullptr;   // fcontext_t of the scheduler while the fiber runs
  bool started = false;
  bool finished = false;
  bool unwinding = false;
  uint32_t switches = 0;  // paces canary checks of an unguarded stack
  std::exception_ptr error;
  // AddressSanitizer bookkeeping (FAULTLINE_ASAN builds only).
  void* asan_fake_stack = nullptr;
  const void* asan_caller_bottom = nullptr;
  size_t asan_caller_size = 0;

  // Bytes of the stack below the State, where frames go.
  size_t usable() const;

  void Run();
  void SwitchIn();
  void SwitchOut(bool finishing);
  static void Entry(ctx::transfer_t t);
};

// The State's footprint at the top of the stack, in whole cache lines.
const size_t Fiber::kReserved = (sizeof(Fiber::State) + 63) / 64 * 64;

size_t Fiber::State::usable() const { return stack.size - kReserved; }

Fiber::State* Fiber::current_ = nullptr;

void Fiber::State::Entry(ctx::transfer_t t) {
  auto* s = static_cast<State*>(t.data);
  s->caller = t.fctx;
#if defined(FAULTLINE_ASAN)
  __sanitizer_finish_switch_fiber(nullptr, &s->asan_caller_bottom, &s->asan_caller_size);
#endif
  s->Run();
  s->finished = true;
  s->SwitchOut(/*finishing=*/true);
  SIM_UNREACHABLE("a finished fiber was resumed");
}

Fiber::Fiber(StackPool* pool, Body body) {
  SIM_ASSERT(pool != nullptr && body);
  FiberStack stack = pool->Acquire();
  SIM_ASSERT(stack.size > kReserved + 4096);
  void* at = stack.top() - kReserved;
  state_ = new (at) State{.pool = pool, .stack = stack, .body = std::move(body)};
  state_->context = ctx::make_fcontext(at, state_->usable(), &State::Entry);
}

Fiber::~Fiber() {
  if (state_ == nullptr) return;
  SIM_ASSERT_MSG(state_->finished || !state_->started,
                 "destroying a suspended fiber; call Unwind() first");
  StackPool* pool = state_->pool;
  FiberStack stack = state_->stack;
  state_->~State();
  pool->Release(stack);
}

Fiber& Fiber::operator=(Fiber&& other) noexcept {
  if (this != &other) {
    Fiber dying(std::move(*this));
    state_ = other.state_;
    other.state_ = nullptr;
  }
  return *this;
}

bool Fiber::finished() const { return state_ != nullptr && state_->finished; }

const void* Fiber::suspended_at() const {
  if (state_ == nullptr || state_->finished || current_ == state_) return nullptr;
  return state_->context;
}
bool Fiber::InFiber() { return current_ != nullptr; }

void Fiber::State::Run() {
  // The catch blocks only record; nothing suspends inside them.
  try {
    if (!unwinding) body();
  } catch (const FiberUnwind&) {
  } catch (...) {
    error = std::current_exception();
  }
  body = nullptr;  // captured state dies on this fiber, before the stack goes
}

void Fiber::State::SwitchIn() {
  SIM_ASSERT_MSG(current_ == nullptr, "Resume() called from inside a fiber");
  current_ = this;
#if defined(FAULTLINE_ASAN)
  void* fake = nullptr;
  __sanitizer_start_switch_fiber(&fake, stack.base, usable());
#endif
  ctx::transfer_t t = ctx::jump_fcontext(context, this);
#if defined(FAULTLINE_ASAN)
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  context = t.fctx;
  current_ = nullptr;
}

void Fiber::State::SwitchOut(bool finishing) {
#if defined(FAULTLINE_ASAN)
  // A null save slot tells ASan this stack's fake frames can be discarded.
  __sanitizer_start_switch_fiber(finishing ? nullptr : &asan_fake_stack, asan_caller_bottom,
                                 asan_caller_size);
#endif
  ctx::transfer_t t = ctx::jump_fcontext(caller, nullptr);
  caller = t.fctx;
#if defined(FAULTLINE_ASAN)
  __sanitizer_finish_switch_fiber(asan_fake_stack, &asan_caller_bottom, &asan_caller_size);
#endif
  (void)finishing;
}

void Fiber::Resume() {
  SIM_ASSERT(state_ != nullptr && !state_->finished);
  State& s = *state_;
  s.started = true;
  s.SwitchIn();
  // An unguarded stack's canary is read every 16th switch out (and always at
  // release): reading it each time costs a TLB miss per switch at 100,000
  // fibers, and an overflow is still caught within 16 switches.
  if (!s.stack.guarded && (++s.switches & 15) == 0) StackPool::CheckCanary(s.stack);
  if (s.finished && s.error) {
    std::exception_ptr e = std::move(s.error);
    s.error = nullptr;
    std::rethrow_exception(e);
  }
}

void Fiber::Suspend() {
  State* s = current_;
  SIM_ASSERT_MSG(s != nullptr, "Fiber::Suspend() called outside any fiber");
  // Rethrow for code that swallowed the unwind and then waited again.
  if (s->unwinding) throw FiberUnwind{};
  s->SwitchOut(/*finishing=*/false);
  if (s->unwinding) throw FiberUnwind{};
}

void Fiber::Unwind() {
  State* s = state_;  // not this->state_ after the switch (see Resume's callers)
  SIM_ASSERT(s != nullptr);
  if (s->finished) return;
  s->unwinding = true;
  // A fiber that never ran runs its entry too, so the body's captures die
  // on the fiber, as they would have; Run() skips the body when unwinding.
  Resume();
  SIM_ASSERT_MSG(s->finished, "a fiber swallowed FiberUnwind and kept running");
}

}  // namespace faultline
