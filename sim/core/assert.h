// SIM_ASSERT: on in every build type (style.md §4). A failed assertion is a
// programmer error: it prints the condition, the source location and the
// run's context (seed and virtual time, supplied by whoever runs the
// simulation) and aborts.
#pragma once

#include <cstdint>
#include <string>

namespace faultline {

// The engine installs a provider so that core, which knows nothing of runs,
// can still say which seed and which instant failed. Returns e.g.
// "seed=42 t=1.250000000s node=n3". Not thread-safe: a run is one thread.
using AssertContextFn = std::string (*)(void* ctx);
void SetAssertContext(AssertContextFn fn, void* ctx);
void ClearAssertContext(void* ctx);

[[noreturn]] void AssertFail(const char* cond, const char* file, int line,
                             const std::string& message);

}  // namespace faultline

#define SIM_ASSERT(cond)                                                      \
  do {                                                                        \
    if (__builtin_expect(!(cond), 0)) {                                       \
      ::faultline::AssertFail(#cond, __FILE__, __LINE__, std::string());      \
    }                                                                         \
  } while (0)

#define SIM_ASSERT_MSG(cond, msg)                                             \
  do {                                                                        \
    if (__builtin_expect(!(cond), 0)) {                                       \
      ::faultline::AssertFail(#cond, __FILE__, __LINE__, (msg));              \
    }                                                                         \
  } while (0)

#define SIM_UNREACHABLE(msg) ::faultline::AssertFail("unreachable", __FILE__, __LINE__, (msg))
