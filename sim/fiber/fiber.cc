#include "sim/fiber/fiber.h"

#include <boost/context/detail/fcontext.hpp>

#include "sim/core/assert.h"

#if defined(FAULTLINE_ASAN)
#include <sanitizer/common_interface_defs.h>
#endif

namespace faultline {

namespace ctx = boost::context::detail;

namespace {
Fiber* g_current = nullptr;  // one thread per run (design §2)
}  // namespace

struct FiberAccess {
  static void Entry(ctx::transfer_t t) {
    auto* f = static_cast<Fiber*>(t.data);
    f->caller_ = t.fctx;
#if defined(FAULTLINE_ASAN)
    __sanitizer_finish_switch_fiber(nullptr, &f->asan_caller_bottom_, &f->asan_caller_size_);
#endif
    f->Run();
    f->finished_ = true;
    f->SwitchOut(/*finishing=*/true);
    SIM_UNREACHABLE("a finished fiber was resumed");
  }
};

Fiber::Fiber(StackPool* pool, Body body) : pool_(pool), body_(std::move(body)) {
  SIM_ASSERT(pool_ != nullptr && body_);
  stack_ = pool_->Acquire();
  context_ = ctx::make_fcontext(stack_.top(), stack_.size, &FiberAccess::Entry);
}

Fiber::~Fiber() {
  SIM_ASSERT_MSG(finished_ || !started_, "destroying a suspended fiber; call Unwind() first");
  if (stack_.base != nullptr) pool_->Release(stack_);
}

Fiber* Fiber::Current() { return g_current; }

void Fiber::Run() {
  // The catch blocks only record; nothing suspends inside them.
  try {
    if (!unwinding_) body_();
  } catch (const FiberUnwind&) {
  } catch (...) {
    error_ = std::current_exception();
  }
  body_ = nullptr;  // captured state dies on this fiber, before the stack goes
}

void Fiber::SwitchIn() {
  SIM_ASSERT_MSG(g_current == nullptr, "Resume() called from inside a fiber");
  g_current = this;
#if defined(FAULTLINE_ASAN)
  void* fake = nullptr;
  __sanitizer_start_switch_fiber(&fake, stack_.base, stack_.size);
#endif
  ctx::transfer_t t = ctx::jump_fcontext(context_, this);
#if defined(FAULTLINE_ASAN)
  __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
  context_ = t.fctx;
  g_current = nullptr;
}

void Fiber::SwitchOut(bool finishing) {
#if defined(FAULTLINE_ASAN)
  // A null save slot tells ASan this stack's fake frames can be discarded.
  __sanitizer_start_switch_fiber(finishing ? nullptr : &asan_fake_stack_, asan_caller_bottom_,
                                 asan_caller_size_);
#endif
  ctx::transfer_t t = ctx::jump_fcontext(caller_, nullptr);
  caller_ = t.fctx;
#if defined(FAULTLINE_ASAN)
  __sanitizer_finish_switch_fiber(asan_fake_stack_, &asan_caller_bottom_, &asan_caller_size_);
#endif
  (void)finishing;
}

void Fiber::Resume() {
  SIM_ASSERT(!finished_);
  started_ = true;
  SwitchIn();
  // An unguarded stack's canary is read every 16th switch out (and always at
  // release): reading it each time costs a TLB miss per switch at 100,000
  // fibers, and an overflow is still caught within 16 switches.
  if (!stack_.guarded && (++switches_ & 15) == 0) StackPool::CheckCanary(stack_);
  if (finished_) {
    pool_->Release(stack_);
    stack_ = FiberStack{};
    if (error_) {
      std::exception_ptr e = std::move(error_);
      error_ = nullptr;
      std::rethrow_exception(e);
    }
  }
}

void Fiber::Suspend() {
  Fiber* f = g_current;
  SIM_ASSERT_MSG(f != nullptr, "Fiber::Suspend() called outside any fiber");
  // Rethrow for code that swallowed the unwind and then waited again.
  if (f->unwinding_) throw FiberUnwind{};
  f->SwitchOut(/*finishing=*/false);
  if (f->unwinding_) throw FiberUnwind{};
}

void Fiber::Unwind() {
  if (finished_) return;
  unwinding_ = true;
  if (!started_) {
    // Never ran: run the entry so the body's captures die on the fiber, as
    // they would have. Run() skips the body when unwinding.
    Resume();
    SIM_ASSERT(finished_);
    return;
  }
  Resume();
  SIM_ASSERT_MSG(finished_, "a fiber swallowed FiberUnwind and kept running");
}

}  // namespace faultline
