// A hint to bring memory into the cache before it is read.
//
// An asm statement, not __builtin_prefetch: GCC's interprocedural analysis
// counts __builtin_prefetch as free of side effects, so a function that only
// prefetches is "const" and, under LTO, every call to it was deleted (the
// engine's fiber prefetches vanished from PHOLD without a word). An asm
// volatile is never deleted. Prefetching an address that is not mapped is
// harmless: it never faults. scripts/tidy bans __builtin_prefetch elsewhere.
#pragma once

namespace faultline {

inline void PrefetchRead(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#elif defined(__aarch64__)
  asm volatile("prfm pldl1keep, %0" : : "Q"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);  // tidy:allow(builtin-prefetch) no asm form known here
#endif
}

}  // namespace faultline
