#include "sim/core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace faultline {
namespace {
AssertContextFn g_context_fn = nullptr;
void* g_context = nullptr;
}  // namespace

void SetAssertContext(AssertContextFn fn, void* ctx) {
  g_context_fn = fn;
  g_context = ctx;
}

void ClearAssertContext(void* ctx) {
  // Only the installer may clear: a nested run must not erase its parent's.
  if (g_context == ctx) {
    g_context_fn = nullptr;
    g_context = nullptr;
  }
}

void AssertFail(const char* cond, const char* file, int line, const std::string& message) {
  std::string context = g_context_fn ? g_context_fn(g_context) : std::string("no run");
  std::fprintf(stderr, "faultline: assertion failed: %s\n  at %s:%d\n  %s%s%s\n", cond, file,
               line, context.c_str(), message.empty() ? "" : "\n  ", message.c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace faultline
