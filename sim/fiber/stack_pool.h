// Pooled fiber stacks.
//
// Stacks are carved from large mmap'd slabs and reused LIFO, so a freed stack
// comes back warm. Pages are committed lazily by the kernel: an idle fiber
// that touched two pages costs two pages of RSS, whatever its stack size.
//
// Overflow protection, two tiers (ADR 0002):
//  - guarded: a PROT_NONE page below the stack; overflow faults at once.
//    Each guard splits a mapping, costing about two kernel VMAs per stack,
//    and vm.max_map_count (65530 by default) caps the total.
//  - canary: once the VMA budget is spent, stacks have no guard page. Their
//    lowest kCanaryBytes are never written by a healthy fiber, so they stay
//    zero (and, if never touched, cost no RSS: the kernel maps its shared
//    zero page on read). CheckCanary asserts they are still zero; the fiber
//    layer calls it on every 16th switch out of an unguarded fiber and when
//    its stack is released.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace faultline {

struct FiberStack {
  char* base = nullptr;  // lowest usable address; the stack grows down to it
  size_t size = 0;       // usable bytes above base
  bool guarded = false;
  char* top() const { return base + size; }
};

class StackPool {
 public:
  struct Options {
    size_t stack_bytes = 64 * 1024;  // rounded up to whole pages
    size_t stacks_per_slab = 64;
    // Guard pages stop after this many stacks; 0 means "from the kernel's
    // vm.max_map_count, leaving half of it for the rest of the process".
    size_t guarded_stacks_max = 0;
  };
  static constexpr size_t kCanaryBytes = 64;

  StackPool() : StackPool(Options{}) {}
  explicit StackPool(Options options);
  ~StackPool();
  StackPool(const StackPool&) = delete;
  StackPool& operator=(const StackPool&) = delete;

  FiberStack Acquire();
  // REQUIRES: s came from this pool and its fiber has finished.
  void Release(FiberStack s);
  // Asserts that an unguarded stack's canary is intact. No-op when guarded.
  static void CheckCanary(const FiberStack& s);

  size_t stack_bytes() const { return stack_bytes_; }
  size_t stacks_created() const { return created_; }
  size_t stacks_guarded() const { return guarded_; }
  size_t stacks_in_use() const { return created_ - free_.size(); }

 private:
  void AddSlab();

  size_t stack_bytes_;
  size_t page_bytes_;
  size_t per_slab_;
  size_t guarded_max_;
  size_t created_ = 0;
  size_t guarded_ = 0;
  struct Slab {
    char* base;
    size_t bytes;
  };
  std::vector<Slab> slabs_;
  std::vector<FiberStack> free_;
};

}  // namespace faultline
