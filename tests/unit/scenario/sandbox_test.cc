// The sandbox (sim/scenario/sandbox.h): every forbidden facility is absent,
// the budgets cannot be escaped with pcall, iteration order is fixed, and
// errors name the chunk and line.
#include <catch2/catch.hpp>
#include <lua.hpp>

#include "sim/scenario/sandbox.h"

namespace faultline::scenario {
namespace {

// Runs `source`; its result as a string ("ok" when it returns nothing).
Result<std::string> Eval(const std::string& source, SandboxLimits limits = {}, uint64_t seed = 1) {
  Sandbox box(limits, seed);
  if (Status s = box.Run("t.lua", source); !s.ok()) return s;
  lua_State* L = box.state();
  if (lua_isnil(L, -1)) return std::string("ok");
  return std::string(luaL_tolstring(L, -1, nullptr));
}

TEST_CASE("sandbox: the forbidden facilities are absent") {
  for (const char* name : {"io", "os", "package", "debug", "require", "dofile", "loadfile", "collectgarbage",
                           "string.dump", "math.randomseed", "utf8", "coroutine"}) {
    INFO(name);
    Result<std::string> r = Eval(std::string("return type(") + name + ")");
    REQUIRE(r.ok());
    CHECK(*r == "nil");
  }
  for (const char* name : {"string.format", "table.concat", "math.floor", "pairs", "pcall", "load", "setmetatable"}) {
    INFO(name);
    CHECK(*Eval(std::string("return type(") + name + ")") == "function");
  }
}

TEST_CASE("sandbox: load compiles text only") {
  CHECK(*Eval("return load('return 1 + 2')()") == "3");
  Result<std::string> binary = Eval("return load('x', 'c', 'b')");
  REQUIRE_FALSE(binary.ok());
  CHECK(binary.status().message().find("only text chunks") != std::string::npos);
  // A bytecode signature given as text is refused by the text-only mode.
  Result<std::string> sig = Eval("local f, err = load('\\27Lua'); return tostring(f) .. ' ' .. err");
  REQUIRE(sig.ok());
  CHECK(sig->find("attempt to load a binary chunk") != std::string::npos);
}

TEST_CASE("sandbox: the instruction budget survives pcall") {
  SandboxLimits small;
  small.instructions = 100'000;
  Result<std::string> plain = Eval("while true do end", small);
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.status().message().find("instruction budget") != std::string::npos);
  // The classic escape: catch the budget error and carry on.
  Result<std::string> escape = Eval(
      "local n = 0\n"
      "while true do\n"
      "  pcall(function() while true do end end)\n"
      "  n = n + 1\n"
      "end",
      small);
  REQUIRE_FALSE(escape.ok());
  CHECK(escape.status().message().find("instruction budget") != std::string::npos);
  // Catching it and returning normally is still a failed run.
  Result<std::string> swallow = Eval("pcall(function() while true do end end) return 'done'", small);
  REQUIRE_FALSE(swallow.ok());
}

TEST_CASE("sandbox: the memory limit stops a bomb, also under pcall") {
  SandboxLimits small;
  small.memory_bytes = 4 << 20;
  Result<std::string> bomb = Eval("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end", small);
  REQUIRE_FALSE(bomb.ok());
  CHECK(bomb.status().message().find("memory limit") != std::string::npos);
  Result<std::string> rep = Eval("local ok = pcall(string.rep, 'x', 1 << 30) return 'survived'", small);
  REQUIRE_FALSE(rep.ok());
  CHECK(rep.status().message().find("memory limit") != std::string::npos);
}

TEST_CASE("sandbox: errors name the file and line") {
  Result<std::string> syntax = Eval("local x = 1\nlocal y = = 2\n");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.status().message().rfind("t.lua:2:", 0) == 0);
  Result<std::string> runtime = Eval("local x = 1\n\nerror('boom')\n");
  REQUIRE_FALSE(runtime.ok());
  CHECK(runtime.status().message() == "t.lua:3: boom");
}

TEST_CASE("sandbox: pairs and next visit keys in a fixed order") {
  const std::string src =
      "local t = {zeta = 1, alpha = 2, [3] = 'c', [1] = 'a', mid = 3, [2.5] = 'x', [true] = 0}\n"
      "local out = {}\n"
      "for k in pairs(t) do out[#out + 1] = tostring(k) end\n"
      "local k, n = next(t), {}\n"
      "while k ~= nil do n[#n + 1] = tostring(k); k = next(t, k) end\n"
      "return table.concat(out, ',') .. '|' .. table.concat(n, ',')";
  CHECK(*Eval(src) == "1,2.5,3,alpha,mid,zeta,true|1,2.5,3,alpha,mid,zeta,true");
  Result<std::string> by_table = Eval("for k in pairs({[{}] = 1}) do end");
  REQUIRE_FALSE(by_table.ok());
  CHECK(by_table.status().message().find("keyed by a table") != std::string::npos);
}

TEST_CASE("sandbox: no addresses reach a string") {
  CHECK(*Eval("return tostring({})") == "table");
  CHECK_FALSE(Eval("return string.format('%p', {})").ok());
  CHECK_FALSE(Eval("return string.format('%s', {})").ok());
  CHECK(*Eval("return string.format('%5.1f %s %d%%', 2.25, 'x', 3)") == "  2.2 x 3%");
}

TEST_CASE("sandbox: math.random follows the seed") {
  const std::string src = "local t = {} for i = 1, 5 do t[i] = math.random(1, 1000) end return table.concat(t, ',')";
  CHECK(*Eval(src, {}, 7) == *Eval(src, {}, 7));
  CHECK(*Eval(src, {}, 7) != *Eval(src, {}, 8));
  CHECK_FALSE(Eval("return math.random(5, 1)").ok());
  const std::string unit = "local x = math.random() return tostring(x >= 0 and x < 1)";
  CHECK(*Eval(unit) == "true");
}

}  // namespace
}  // namespace faultline::scenario
