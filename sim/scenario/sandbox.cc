#include "sim/scenario/sandbox.h"

#include <lua.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sim/core/assert.h"
#include "sim/core/strings.h"

namespace faultline::scenario {
namespace {

constexpr int kHookStep = 1000;  // instructions between budget checks
constexpr char kRegistryKey[] = "faultline.sandbox";

// A key of a table in the sandbox's fixed order. Keys of other types have
// no order that is the same in every process; iterating them is an error.
struct Key {
  int rank;  // 0 number, 1 string, 2 boolean
  bool is_int = false;
  lua_Integer i = 0;
  lua_Number n = 0;
  std::string s;
  bool b = false;
  int slot = 0;  // index in the keys table

  bool operator<(const Key& o) const {
    if (rank != o.rank) return rank < o.rank;
    switch (rank) {
      case 0:
        if (is_int && o.is_int) return i < o.i;
        return (is_int ? static_cast<lua_Number>(i) : n) < (o.is_int ? static_cast<lua_Number>(o.i) : o.n);
      case 1:
        return s < o.s;
      default:
        return !b && o.b;
    }
  }
};

Key ReadKey(lua_State* L, int idx, int slot) {
  Key k{0};
  k.slot = slot;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      k.rank = 0;
      k.is_int = lua_isinteger(L, idx);
      if (k.is_int) k.i = lua_tointeger(L, idx); else k.n = lua_tonumber(L, idx);
      break;
    case LUA_TSTRING: {
      k.rank = 1;
      size_t len = 0;
      const char* s = lua_tolstring(L, idx, &len);
      k.s.assign(s, len);
      break;
    }
    case LUA_TBOOLEAN:
      k.rank = 2;
      k.b = lua_toboolean(L, idx);
      break;
    default:
      luaL_error(L, "cannot iterate a table keyed by a %s: its order would differ between runs (key by strings or numbers)",
                 luaL_typename(L, idx));
  }
  return k;
}

// Pushes an array of t's keys (t at `idx`) in the fixed order.
void PushSortedKeys(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  std::vector<Key> keys;
  lua_newtable(L);  // raw keys, in next() order
  const int raw = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    keys.push_back(ReadKey(L, -1, static_cast<int>(keys.size()) + 1));
    lua_rawseti(L, raw, static_cast<lua_Integer>(keys.size()));
  }
  std::sort(keys.begin(), keys.end());
  lua_createtable(L, static_cast<int>(keys.size()), 0);
  for (size_t i = 0; i < keys.size(); ++i) {
    lua_rawgeti(L, raw, keys[i].slot);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_remove(L, raw);
}

// The iterator pairs() returns: upvalue 1 the sorted keys, 2 the position.
int SortedStep(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  for (lua_Integer pos = lua_tointeger(L, lua_upvalueindex(2)) + 1;; ++pos) {
    if (lua_rawgeti(L, lua_upvalueindex(1), pos) == LUA_TNIL) return 1;  // done: nil
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 1) != LUA_TNIL) {  // a key removed while iterating is skipped
      lua_pushinteger(L, pos);
      lua_replace(L, lua_upvalueindex(2));
      return 2;
    }
    lua_pop(L, 2);
  }
}

int SortedPairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  PushSortedKeys(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, SortedStep, 2);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int SortedNext(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  PushSortedKeys(L, 1);  // at 3
  const lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 3));
  lua_Integer pos = 0;
  if (!lua_isnil(L, 2)) {
    const Key want = ReadKey(L, 2, 0);
    for (pos = 1; pos <= n; ++pos) {  // scenarios' tables are small
      lua_rawgeti(L, 3, pos);
      const Key k = ReadKey(L, -1, 0);
      lua_pop(L, 1);
      if (!(k < want) && !(want < k)) break;
    }
    if (pos > n) return luaL_error(L, "next: the key given is not in the table");
  }
  for (++pos; pos <= n; ++pos) {
    lua_rawgeti(L, 3, pos);
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 1) != LUA_TNIL) return 2;
    lua_pop(L, 2);
  }
  lua_pushnil(L);
  return 1;
}

bool HasToString(lua_State* L, int idx) {
  const int t = lua_type(L, idx);
  if (t == LUA_TSTRING || t == LUA_TNUMBER || t == LUA_TBOOLEAN || t == LUA_TNIL) return true;
  if (luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL) return false;
  lua_pop(L, 1);
  return true;
}

// tostring without addresses: "table", "function"... The stock one prints
// "table: 0x55d1...", which differs between processes.
int PlainToString(lua_State* L) {
  luaL_checkany(L, 1);
  if (HasToString(L, 1)) {
    luaL_tolstring(L, 1, nullptr);
  } else {
    lua_pushstring(L, luaL_typename(L, 1));
  }
  return 1;
}

int PlainPrint(lua_State* L) {
  const int n = lua_gettop(L);
  std::string line;
  for (int i = 1; i <= n; ++i) {
    lua_pushcfunction(L, PlainToString);
    lua_pushvalue(L, i);
    lua_call(L, 1, 1);
    if (i > 1) line += '\t';
    line += lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
  return 0;
}

// string.format without %p, and without %s of a value that would print as
// an address. Upvalue 1: the stock string.format.
int SafeFormat(lua_State* L) {
  size_t len = 0;
  const char* fmt = luaL_checklstring(L, 1, &len);
  int arg = 1;
  for (size_t i = 0; i < len; ++i) {
    if (fmt[i] != '%') continue;
    if (++i < len && fmt[i] == '%') continue;
    while (i < len && std::strchr("-+ #0123456789.", fmt[i]) != nullptr) ++i;
    if (i >= len) break;
    ++arg;
    if (fmt[i] == 'p') return luaL_error(L, "string.format: %%p prints an address, which differs between runs");
    if (fmt[i] == 's' && arg <= lua_gettop(L) && !HasToString(L, arg)) {
      return luaL_error(L, "string.format: %%s of a %s prints an address, which differs between runs",
                        luaL_typename(L, arg));
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// load(chunk [, name [, "t" [, env]]]): text only, whatever mode is asked.
int TextLoad(lua_State* L) {
  const int n = lua_gettop(L);
  if (n >= 3 && !lua_isnil(L, 3)) {
    const char* mode = luaL_checkstring(L, 3);
    if (std::strcmp(mode, "t") != 0) return luaL_error(L, "load: only text chunks (mode \"t\") in a scenario");
  }
  // An env given (even nil) is passed on; none given stays none, as the
  // stock load tells the two apart.
  const int nargs = n >= 4 ? 4 : 3;
  lua_settop(L, nargs);
  lua_pushliteral(L, "t");
  lua_replace(L, 3);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, nargs, LUA_MULTRET);
  return lua_gettop(L);
}

void Remove(lua_State* L, const char* table, const char* name) {
  if (table == nullptr) {
    lua_pushnil(L);
    lua_setglobal(L, name);
    return;
  }
  lua_getglobal(L, table);
  lua_pushnil(L);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

}  // namespace

// math.random([m [, n]]) as Lua's, from the scenario's Rng.
int SandboxRandom(lua_State* L) {
  Rng& rng = Sandbox::From(L).rng_;
  const int n = lua_gettop(L);
  if (n == 0) {
    lua_pushnumber(L, static_cast<lua_Number>(rng.Next() >> 11) * 0x1.0p-53);
    return 1;
  }
  lua_Integer lo = 1, hi = 0;
  if (n == 1) {
    hi = luaL_checkinteger(L, 1);
  } else if (n == 2) {
    lo = luaL_checkinteger(L, 1);
    hi = luaL_checkinteger(L, 2);
  } else {
    return luaL_error(L, "math.random: expected at most 2 arguments");
  }
  luaL_argcheck(L, lo <= hi, n, "interval is empty");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t draw = span == UINT64_MAX ? rng.Next() : rng.Uniform(span + 1);
  lua_pushinteger(L, static_cast<lua_Integer>(static_cast<uint64_t>(lo) + draw));
  return 1;
}

Sandbox::Sandbox(SandboxLimits limits, uint64_t seed) : limits_(limits), rng_(seed) {
  L_ = lua_newstate(&Sandbox::Alloc, this);
  SIM_ASSERT_MSG(L_ != nullptr, "cannot create a Lua state within the sandbox's memory limit");
  lua_pushlightuserdata(L_, this);
  lua_setfield(L_, LUA_REGISTRYINDEX, kRegistryKey);
  OpenLibraries();
  lua_sethook(L_, &Sandbox::Hook, LUA_MASKCOUNT, kHookStep);
}

Sandbox::~Sandbox() { lua_close(L_); }

Sandbox& Sandbox::From(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRegistryKey);
  auto* s = static_cast<Sandbox*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  SIM_ASSERT(s != nullptr);
  return *s;
}

void Sandbox::OpenLibraries() {
  luaL_requiref(L_, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L_, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L_, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L_, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_pop(L_, 4);
  for (const char* name : {"dofile", "loadfile", "collectgarbage", "require"}) Remove(L_, nullptr, name);
  Remove(L_, LUA_STRLIBNAME, "dump");
  Remove(L_, LUA_MATHLIBNAME, "randomseed");
  lua_register(L_, "pairs", SortedPairs);
  lua_register(L_, "next", SortedNext);
  lua_register(L_, "tostring", PlainToString);
  lua_register(L_, "print", PlainPrint);
  lua_getglobal(L_, "load");
  lua_pushcclosure(L_, TextLoad, 1);
  lua_setglobal(L_, "load");
  lua_getglobal(L_, LUA_STRLIBNAME);
  lua_getfield(L_, -1, "format");
  lua_pushcclosure(L_, SafeFormat, 1);
  lua_setfield(L_, -2, "format");
  lua_pop(L_, 1);
  lua_getglobal(L_, LUA_MATHLIBNAME);
  lua_pushcfunction(L_, SandboxRandom);
  lua_setfield(L_, -2, "random");
  lua_pop(L_, 1);
}

void* Sandbox::Alloc(void* ud, void* ptr, size_t old_size, size_t new_size) {
  auto* self = static_cast<Sandbox*>(ud);
  const size_t old = ptr != nullptr ? old_size : 0;  // for a new block, old_size is a type tag
  if (new_size == 0) {
    std::free(ptr);
    self->used_ -= old;
    return nullptr;
  }
  if (new_size > old && self->used_ - old + new_size > self->limits_.memory_bytes) {
    if (self->exhausted_.empty()) {
      self->exhausted_ = Cat("the scenario exceeded its memory limit of ", self->limits_.memory_bytes, " bytes");
    }
    return nullptr;  // Lua raises a memory error; the hook keeps raising
  }
  void* block = std::realloc(ptr, new_size);
  if (block != nullptr) self->used_ = self->used_ - old + new_size;
  return block;
}

void Sandbox::Hook(lua_State* L, lua_Debug*) {
  Sandbox& self = From(L);
  self.executed_ += kHookStep;
  if (self.exhausted_.empty() && self.executed_ > self.limits_.instructions) {
    self.exhausted_ = Cat("the scenario exceeded its instruction budget of ", self.limits_.instructions);
  }
  if (self.exhausted_.empty()) return;
  // Sticky: from now on every instruction raises, so a pcall that catches
  // this error cannot go on.
  lua_sethook(L, &Sandbox::Hook, LUA_MASKCOUNT, 1);
  luaL_error(L, "%s", self.exhausted_.c_str());
}

Status Sandbox::ErrorStatus(int code, int top) {
  std::string message = exhausted_;
  if (message.empty()) {
    message = code == LUA_ERRMEM             ? std::string("out of memory")
              : lua_isstring(L_, -1) != 0 ? std::string(lua_tostring(L_, -1))
                                           : Cat("a Lua error (", luaL_typename(L_, -1), ")");
  }
  lua_settop(L_, top);
  // Lua places most errors ("file:line: ..."); a spent budget, memory
  // exhaustion or a C stack overflow it cannot place gets the file at least.
  if (message.rfind(Cat(file_, ":"), 0) != 0) message = Cat(file_, ": ", message);
  return Status(Error::kInvalidArgument, message);
}

Status Sandbox::Run(std::string_view file, std::string_view source) {
  lua_settop(L_, 0);
  file_ = std::string(file);
  const std::string chunk = Cat("@", file);  // "@": Lua names the chunk by the file
  int code = luaL_loadbufferx(L_, source.data(), source.size(), chunk.c_str(), "t");
  if (code == LUA_OK) code = lua_pcall(L_, 0, 1, 0);
  if (code != LUA_OK || !exhausted_.empty()) return ErrorStatus(code, 0);
  return Status::Ok();
}

}  // namespace faultline::scenario
