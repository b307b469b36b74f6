// The Lua 5.4 sandbox scenarios run in (design §9).
//
// Opened: base, string, table and math, minus everything that reaches
// outside the run or makes it differ between processes:
//   - gone: io, os, package, debug, require, dofile, loadfile,
//     string.dump, collectgarbage;
//   - `load` compiles text only (mode "t"): bytecode is never loaded;
//   - `math.random` draws from the scenario's own stream (a seeded Rng),
//     and `math.randomseed` is gone;
//   - `pairs` and `next` visit keys in a fixed order (numbers ascending,
//     then strings bytewise, then false, true): Lua seeds its string hash
//     per process, so the stock order differs between runs of the same
//     binary. A table keyed by tables or functions has no such order, and
//     iterating one is an error.
//
// Budgets: an instruction budget counted by a count hook, and a memory
// limit enforced by the allocator. Both are sticky: once one is spent the
// hook raises again on every later instruction, so `pcall` may catch the
// first error but the script cannot go on; the run ends with that budget's
// message.
//
// Errors from Lua carry "chunk:line:" as Lua writes them; the chunk is
// named after the scenario file, so every message names file and line.
// Messages Lua cannot place (a spent budget, a C stack overflow) start
// with the file.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sim/core/rng.h"
#include "sim/core/status.h"

struct lua_State;
struct lua_Debug;

namespace faultline::scenario {

struct SandboxLimits {
  uint64_t instructions = 50'000'000;  // VM instructions, counted in steps of kHookStep
  size_t memory_bytes = 64 << 20;
};

class Sandbox {
 public:
  Sandbox(SandboxLimits limits, uint64_t seed);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Compiles and runs `source` as the chunk `file`, leaving its one result
  // on the stack. Errors: kInvalidArgument with "file:line: message", or
  // the budget's own message if one ran out.
  Status Run(std::string_view file, std::string_view source);

  lua_State* state() { return L_; }
  // Why the script was stopped, if a budget ran out; empty otherwise.
  const std::string& exhausted() const { return exhausted_; }

  static Sandbox& From(lua_State* L);  // the sandbox that owns L

 private:
  static void* Alloc(void* ud, void* ptr, size_t old_size, size_t new_size);
  static void Hook(lua_State* L, lua_Debug* ar);
  void OpenLibraries();
  // The error at the top of the stack (or the spent budget's), with the
  // stack cut back to `top`.
  Status ErrorStatus(int code, int top);

  SandboxLimits limits_;
  Rng rng_;
  size_t used_ = 0;
  uint64_t executed_ = 0;
  std::string exhausted_;
  std::string file_;  // the chunk being run, for messages Lua cannot place
  lua_State* L_ = nullptr;

  friend int SandboxRandom(lua_State* L);
};

}  // namespace faultline::scenario
