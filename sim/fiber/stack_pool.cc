#include "sim/fiber/stack_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>

#include "sim/core/assert.h"

#if defined(FAULTLINE_ASAN)
#include <sanitizer/asan_interface.h>
#endif

namespace faultline {
namespace {

// The kernel's cap on mappings per process. Reading it affects only whether
// stacks get guard pages, never a run's behaviour.
size_t MaxMapCount() {
  size_t value = 65530;
  if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    unsigned long v = 0;
    if (std::fscanf(f, "%lu", &v) == 1 && v > 0) value = v;
    std::fclose(f);
  }
  return value;
}

size_t RoundUp(size_t n, size_t unit) { return (n + unit - 1) / unit * unit; }

// ASan keeps a stack frame's redzones poisoned in its shadow until the
// frame returns, or until it sees the frame unwound, which across fiber
// switches it may not. Shadow outlives both a stack's fiber and its
// mapping, so a later stack at the same address (this pool's next fiber,
// or another pool's slab) can report a stack-buffer-overflow inside a
// live variable: seen once on 2026-11-25 (btree code on an lww fiber, in
// one full sanitizer suite; ten reruns of the test passed). Every stack is
// clean when handed out, and every slab when unmapped.
void Unpoison(char* base, size_t bytes) {
#if defined(FAULTLINE_ASAN)
  ASAN_UNPOISON_MEMORY_REGION(base, bytes);
#else
  (void)base;
  (void)bytes;
#endif
}

}  // namespace

StackPool::StackPool(Options options)
    : page_bytes_(static_cast<size_t>(sysconf(_SC_PAGESIZE))),
      per_slab_(options.stacks_per_slab) {
  SIM_ASSERT(per_slab_ >= 1);
  stack_bytes_ = RoundUp(options.stack_bytes < 16 * 1024 ? 16 * 1024 : options.stack_bytes,
                         page_bytes_);
  // Two VMAs per guarded stack; keep half the cap for everything else.
  guarded_max_ = options.guarded_stacks_max != 0 ? options.guarded_stacks_max : MaxMapCount() / 4;
}

StackPool::~StackPool() {
  for (const Slab& s : slabs_) {
    Unpoison(s.base, s.bytes);
    munmap(s.base, s.bytes);
  }
}

void StackPool::AddSlab() {
  const size_t stride = page_bytes_ + stack_bytes_;
  const size_t bytes = stride * per_slab_;
  void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  SIM_ASSERT_MSG(mem != MAP_FAILED, "mmap of a fiber stack slab failed (out of address space?)");
  char* base = static_cast<char*>(mem);
  slabs_.push_back({base, bytes});
  // Push in reverse so the lowest stack is handed out first.
  for (size_t i = per_slab_; i-- > 0;) {
    char* guard = base + i * stride;
    FiberStack s{guard + page_bytes_, stack_bytes_, false};
    if (guarded_ < guarded_max_ && mprotect(guard, page_bytes_, PROT_NONE) == 0) {
      s.guarded = true;
      ++guarded_;
    }
    free_.push_back(s);
    ++created_;
  }
}

FiberStack StackPool::Acquire() {
  if (free_.empty()) AddSlab();
  FiberStack s = free_.back();
  free_.pop_back();
  Unpoison(s.base, s.size);
  return s;
}

void StackPool::Release(FiberStack s) {
  CheckCanary(s);
  free_.push_back(s);
}

void StackPool::CheckCanary(const FiberStack& s) {
  if (s.guarded) return;
  // Read as words: the canary is the first kCanaryBytes of the stack.
  const auto* words = reinterpret_cast<const volatile uint64_t*>(s.base);
  uint64_t any = 0;
  for (size_t i = 0; i < kCanaryBytes / sizeof(uint64_t); ++i) any |= words[i];
  SIM_ASSERT_MSG(any == 0,
                 "fiber stack overflow: an unguarded stack's canary was overwritten; raise "
                 "the fiber stack size (StackPool::Options::stack_bytes)");
}

}  // namespace faultline
