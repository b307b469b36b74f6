#include "sim/scenario/api.h"

#include <lua.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "sim/core/rng.h"
#include "sim/core/strings.h"
#include "sim/scenario/nemesis.h"
#include "sim/scenario/units.h"

namespace faultline::scenario {
namespace {

constexpr char kBuilderKey[] = "faultline.builder";
constexpr char kFaultMeta[] = "faultline.fault";
constexpr char kRoleMeta[] = "faultline.role";
constexpr char kScenarioMeta[] = "faultline.scenario";

// The spec a file is declaring, kept in the Lua registry while it runs.
struct Builder {
  const ModelRegistry* models;
  const LoadOptions* options;
  ScenarioSpec spec;
  bool declared = false;
};

Builder& B(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kBuilderKey);
  auto* b = static_cast<Builder*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return *b;
}

int Line(lua_State* L) {  // the scenario line that called the running C function
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) == 0 || lua_getinfo(L, "l", &ar) == 0) return 0;
  return ar.currentline;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

[[noreturn]] void Fail(lua_State* L, const std::string& message) {
  luaL_where(L, 1);
  lua_pushstring(L, message.c_str());
  lua_concat(L, 2);
  lua_error(L);
  __builtin_unreachable();
}

// --- reading values -------------------------------------------------------

std::string What(lua_State* L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) return Cat("\"", lua_tostring(L, idx), "\"");
  if (lua_type(L, idx) == LUA_TNUMBER) return lua_tostring(L, idx);
  return luaL_typename(L, idx);
}

// Strings and numbers as text: --set gives every value as a string.
std::string Text(lua_State* L, int idx, const std::string& field) {
  const int t = lua_type(L, idx);
  if (t == LUA_TSTRING) return lua_tostring(L, idx);
  if (t == LUA_TNUMBER) {
    if (lua_isinteger(L, idx)) return Cat(lua_tointeger(L, idx));
    return lua_tostring(L, idx);
  }
  if (t == LUA_TBOOLEAN) return lua_toboolean(L, idx) ? "true" : "false";
  Fail(L, Cat(field, ": expected a string or number, got ", What(L, idx)));
}

Duration ReadDuration(lua_State* L, int idx, const std::string& field) {
  if (lua_type(L, idx) != LUA_TSTRING) {
    Fail(L, Cat(field, ": expected a duration string such as \"250ms\" or \"3s\", got ", What(L, idx)));
  }
  Result<Duration> d = ParseDuration(lua_tostring(L, idx));
  if (!d.ok()) Fail(L, Cat(field, ": expected a duration such as \"250ms\" or \"3s\", got ", What(L, idx)));
  return *d;
}

int64_t ReadInt(lua_State* L, int idx, const std::string& field, int64_t lo, int64_t hi) {
  int64_t v = 0;
  bool ok = false;
  if (lua_type(L, idx) == LUA_TNUMBER && lua_isinteger(L, idx)) {
    v = lua_tointeger(L, idx);
    ok = true;
  } else if (lua_type(L, idx) == LUA_TSTRING) {
    Result<int64_t> r = ParseInteger(lua_tostring(L, idx));
    ok = r.ok();
    if (ok) v = *r;
  }
  if (!ok || v < lo || v > hi) Fail(L, Cat(field, ": expected an integer from ", lo, " to ", hi, ", got ", What(L, idx)));
  return v;
}

bool ReadBool(lua_State* L, int idx, const std::string& field) {
  if (lua_type(L, idx) == LUA_TBOOLEAN) return lua_toboolean(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) {
    const std::string s = lua_tostring(L, idx);
    if (s == "true" || s == "false") return s == "true";
  }
  Fail(L, Cat(field, ": expected true or false, got ", What(L, idx)));
}

std::string ReadString(lua_State* L, int idx, const std::string& field) {
  if (lua_type(L, idx) != LUA_TSTRING) Fail(L, Cat(field, ": expected a string, got ", What(L, idx)));
  return lua_tostring(L, idx);
}

// Calls `field(name, value index)` for each key of the table at `idx`, in
// sorted order, after rejecting any key not in `known`.
template <typename F>
void Fields(lua_State* L, int idx, const std::string& what, const std::vector<std::string>& known, F field) {
  idx = lua_absindex(L, idx);
  if (!lua_istable(L, idx)) Fail(L, Cat(what, ": expected a table, got ", What(L, idx)));
  std::vector<std::string> keys;
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) Fail(L, Cat(what, ": expected named fields, got a ", luaL_typename(L, -1), " key"));
    keys.emplace_back(lua_tostring(L, -1));
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& k : keys) {
    if (std::find(known.begin(), known.end(), k) == known.end()) {
      Fail(L, Cat(what, ": unknown field \"", k, "\"; known fields: ", Join(known)));
    }
  }
  for (const std::string& k : keys) {
    lua_getfield(L, idx, k.c_str());
    field(k, lua_gettop(L));
    lua_pop(L, 1);
  }
}

// --- node references and faults -------------------------------------------

bool HasMeta(lua_State* L, int idx, const char* meta) {
  if (!lua_istable(L, idx) || !lua_getmetatable(L, idx)) return false;
  luaL_getmetatable(L, meta);
  const bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same;
}

NodeRef ReadNode(lua_State* L, int idx, const std::string& field) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) return NodeRef{lua_tostring(L, idx), ""};
  if (HasMeta(L, idx, kRoleMeta)) {
    lua_getfield(L, idx, "role");
    NodeRef r{"", lua_tostring(L, -1)};
    lua_pop(L, 1);
    return r;
  }
  Fail(L, Cat(field, ": expected a node name such as \"r1\", leader() or primary(), got ", What(L, idx)));
}

int PushRole(lua_State* L, const char* role) {
  lua_createtable(L, 0, 1);
  lua_pushstring(L, role);
  lua_setfield(L, -2, "role");
  luaL_setmetatable(L, kRoleMeta);
  return 1;
}
int Leader(lua_State* L) { return PushRole(L, "leader"); }
int Primary(lua_State* L) { return PushRole(L, "primary"); }

// A fault value in Lua: a table with the fault metatable, holding the
// kind and the constructor's arguments as given; s:at converts it.
int PushFault(lua_State* L, const char* kind, int nargs) {
  lua_createtable(L, nargs, 1);
  for (int i = 1; i <= nargs; ++i) {
    lua_pushvalue(L, i);
    lua_rawseti(L, -2, i);
  }
  lua_pushstring(L, kind);
  lua_setfield(L, -2, "kind");
  luaL_setmetatable(L, kFaultMeta);
  return 1;
}

// Each constructor takes at most n arguments; more is a mistake (isolate
// takes one node), not something to drop silently.
#define FAULT(fn, kind, n)                                                                          \
  int fn(lua_State* L) {                                                                            \
    if (lua_gettop(L) > n) Fail(L, Cat(kind, ": expected at most ", n, " argument", n == 1 ? "" : "s", \
                                       ", got ", lua_gettop(L)));                                    \
    lua_settop(L, n);                                                                               \
    return PushFault(L, kind, n);                                                                   \
  }
FAULT(Halves, "partition.halves", 0)
FAULT(Isolate, "partition.isolate", 1)
FAULT(MajoritiesRing, "partition.majority_ring", 0)
FAULT(Bridge, "partition.bridge", 0)
FAULT(OneWay, "partition.one_way", 2)
FAULT(Heal, "heal", 0)
FAULT(Crash, "crash", 2)
FAULT(Restart, "restart", 1)
FAULT(Pause, "pause", 1)
FAULT(Resume, "resume", 1)
FAULT(Skew, "clock.skew", 2)
FAULT(Jump, "clock.jump", 2)
FAULT(Drift, "clock.drift", 2)
FAULT(Clog, "link.clog", 3)
FAULT(Degrade, "link.degrade", 3)
FAULT(SlowDisk, "disk.slow", 2)
FAULT(FullDisk, "disk.full", 2)
FAULT(Corrupt, "disk.corrupt", 4)
FAULT(SplitBrain, "split_brain", 1)
#undef FAULT

int Groups(lua_State* L) {
  const int n = lua_gettop(L);
  return PushFault(L, "partition.groups", n);
}

void NeedNode(lua_State* L, int t, int i, const std::string& field, Fault* f) {
  lua_rawgeti(L, t, i);
  f->nodes.push_back(ReadNode(L, -1, field));
  lua_pop(L, 1);
}

// The fault table at `t` as a Fault; raises on bad arguments.
Fault ReadFault(lua_State* L, int t) {
  t = lua_absindex(L, t);
  if (!HasMeta(L, t, kFaultMeta)) Fail(L, Cat("expected a fault such as crash(\"r1\") or partition.halves(), got ", What(L, t)));
  Fault f;
  lua_getfield(L, t, "kind");
  f.kind = lua_tostring(L, -1);
  lua_pop(L, 1);
  const std::string& k = f.kind;
  auto arg = [&](int i) {
    lua_rawgeti(L, t, i);
    return lua_gettop(L);
  };
  if (k == "partition.isolate" || k == "restart" || k == "pause" || k == "resume") {
    NeedNode(L, t, 1, Cat(k, " node"), &f);
  } else if (k == "partition.one_way") {
    NeedNode(L, t, 1, "partition.one_way from", &f);
    NeedNode(L, t, 2, "partition.one_way to", &f);
  } else if (k == "partition.groups") {
    for (lua_Integer g = 1;; ++g) {
      const int gi = arg(static_cast<int>(g));
      if (lua_isnil(L, gi)) {
        lua_pop(L, 1);
        break;
      }
      if (!lua_istable(L, gi)) Fail(L, Cat("partition.groups: group ", g, ": expected a list of nodes, got ", What(L, gi)));
      std::vector<NodeRef> group;
      for (lua_Integer i = 1; lua_rawgeti(L, gi, i) != LUA_TNIL; ++i) {
        group.push_back(ReadNode(L, -1, Cat("partition.groups: group ", g)));
        lua_pop(L, 1);
      }
      lua_pop(L, 2);
      if (group.empty()) Fail(L, Cat("partition.groups: group ", g, " is empty"));
      f.groups.push_back(std::move(group));
    }
    if (f.groups.size() < 2) Fail(L, "partition.groups: expected at least two groups");
  } else if (k == "crash") {
    NeedNode(L, t, 1, "crash node", &f);
    const int d = arg(2);
    f.option = lua_isnil(L, d) ? "lose" : ReadString(L, d, "crash disk");
    lua_pop(L, 1);
    if (f.option != "lose" && f.option != "torn") {
      Fail(L, Cat("crash disk: expected \"lose\" (every unsynced write) or \"torn\" (a random prefix of them survives), got \"", f.option, "\""));
    }
  } else if (k == "clock.skew" || k == "clock.jump" || k == "disk.slow") {
    NeedNode(L, t, 1, Cat(k, " node"), &f);
    f.amount = ReadDuration(L, arg(2), Cat(k, " amount"));
    lua_pop(L, 1);
    if (k == "disk.slow" && f.amount.nanos() < 0) Fail(L, "disk.slow: expected a latency at or above 0s");
  } else if (k == "clock.drift") {
    NeedNode(L, t, 1, "clock.drift node", &f);
    f.number = ReadInt(L, arg(2), "clock.drift ppm", -500'000, 500'000);
    lua_pop(L, 1);
  } else if (k == "link.clog") {
    NeedNode(L, t, 1, "link.clog from", &f);
    NeedNode(L, t, 2, "link.clog to", &f);
    f.amount = ReadDuration(L, arg(3), "link.clog for");
    lua_pop(L, 1);
    if (f.amount.nanos() <= 0) Fail(L, "link.clog for: expected a positive duration");
  } else if (k == "link.degrade") {
    NeedNode(L, t, 1, "link.degrade from", &f);
    NeedNode(L, t, 2, "link.degrade to", &f);
    Fields(L, arg(3), "link.degrade options", {"duplicate", "latency", "loss"}, [&](const std::string& key, int v) {
      const std::string text = ReadString(L, v, Cat("link.degrade ", key));
      if (key == "latency") {
        Result<std::pair<Duration, Duration>> r = ParseDurationRange(text);
        if (!r.ok()) Fail(L, Cat("link.degrade latency: ", r.status().message()));
        f.latency = text;
      } else {
        Result<Probability> p = Probability::Parse(text);
        if (!p.ok()) Fail(L, Cat("link.degrade ", key, ": ", p.status().message()));
        (key == "loss" ? f.loss : f.duplicate) = text;
      }
    });
    lua_pop(L, 1);
    if (f.latency.empty() && f.loss.empty() && f.duplicate.empty()) {
      Fail(L, "link.degrade: expected at least one of latency, loss, duplicate");
    }
  } else if (k == "disk.corrupt") {
    NeedNode(L, t, 1, "disk.corrupt node", &f);
    f.option = ReadString(L, arg(2), "disk.corrupt file");
    lua_pop(L, 1);
    f.number = ReadInt(L, arg(3), "disk.corrupt block", 0, INT64_MAX / 8192);
    lua_pop(L, 1);
    f.bit = ReadInt(L, arg(4), "disk.corrupt bit", 0, 4096 * 8 - 1);
    lua_pop(L, 1);
  } else if (k == "disk.full") {
    NeedNode(L, t, 1, "disk.full node", &f);
    const int d = arg(2);
    f.number = lua_isnil(L, d) ? 1 : ReadBool(L, d, "disk.full on");
    lua_pop(L, 1);
  } else if (k == "split_brain") {
    const int d = arg(1);
    f.amount = lua_isnil(L, d) ? Duration::Millis(500) : ReadDuration(L, d, "split_brain skew");
    lua_pop(L, 1);
  }
  return f;
}

// --- the scenario object ------------------------------------------------

Builder& Self(lua_State* L) {
  luaL_checkudata(L, 1, kScenarioMeta);
  return B(L);
}

int At(lua_State* L) {
  Builder& b = Self(L);
  Scheduled s;
  s.line = Line(L);
  s.at = ReadDuration(L, 2, "s:at time");
  s.fault = ReadFault(L, 3);
  if (!lua_isnoneornil(L, 4)) {
    s.lasting = ReadDuration(L, 4, "s:at lasting");
    if (s.lasting->nanos() <= 0) Fail(L, "s:at lasting: expected a positive duration");
    if (s.fault.kind == "heal" || s.fault.kind == "restart" || s.fault.kind == "resume") {
      Fail(L, Cat("s:at lasting: ", s.fault.kind, " is itself an undo and cannot last"));
    }
    if (s.fault.kind == "clock.jump" || s.fault.kind == "link.clog" || s.fault.kind == "disk.corrupt") {
      Fail(L, Cat("s:at lasting: ", s.fault.kind, " has no undo (a jump is a step, a flipped bit stays flipped, a clog has its own duration)"));
    }
  }
  if (s.at.nanos() < 0) Fail(L, "s:at time: expected a time at or after 0s");
  b.spec.schedule.push_back(std::move(s));
  lua_settop(L, 1);
  return 1;  // the scenario, for chaining
}

std::pair<Duration, Duration> ReadRange(lua_State* L, int idx, const std::string& field) {
  const std::string text = ReadString(L, idx, field);
  Result<std::pair<Duration, Duration>> r = ParseDurationRange(text);
  if (!r.ok()) Fail(L, Cat(field, ": ", r.status().message()));
  return *r;
}

int Nemesis(lua_State* L) {
  Builder& b = Self(L);
  if (b.spec.nemesis) Fail(L, "s:nemesis: a scenario has one nemesis");
  NemesisSpec n;
  n.every_min = n.every_max = Duration::Zero();
  n.every_min = Duration::Millis(300);
  n.every_max = Duration::Millis(800);
  n.lasting_min = Duration::Millis(100);
  n.lasting_max = Duration::Millis(600);
  n.from = Duration::Zero();
  n.until = b.spec.duration;
  n.skew_max = Duration::Millis(500);
  bool until_given = false;
  Fields(L, 2, "s:nemesis", {"every", "from", "kinds", "lasting", "skew", "swarm", "until"},
         [&](const std::string& k, int v) {
           if (k == "kinds") {
             if (!lua_istable(L, v)) Fail(L, Cat("s:nemesis kinds: expected a list of fault kinds, got ", What(L, v)));
             for (lua_Integer i = 1; lua_rawgeti(L, v, i) != LUA_TNIL; ++i) {
               std::string kind = ReadString(L, -1, "s:nemesis kinds");
               lua_pop(L, 1);
               const auto* end = std::end(kNemesisKinds);
               if (std::find_if(std::begin(kNemesisKinds), end, [&](const char* x) { return kind == x; }) == end) {
                 Fail(L, Cat("s:nemesis kinds: unknown kind \"", kind, "\"; known kinds: ",
                             Join(std::vector<std::string>(std::begin(kNemesisKinds), end))));
               }
               n.kinds.push_back(kind);
             }
             lua_pop(L, 1);
           } else if (k == "every") {
             std::tie(n.every_min, n.every_max) = ReadRange(L, v, "s:nemesis every");
           } else if (k == "lasting") {
             std::tie(n.lasting_min, n.lasting_max) = ReadRange(L, v, "s:nemesis lasting");
           } else if (k == "from") {
             n.from = ReadDuration(L, v, "s:nemesis from");
           } else if (k == "until") {
             n.until = ReadDuration(L, v, "s:nemesis until");
             until_given = true;
           } else if (k == "skew") {
             n.skew_max = ReadDuration(L, v, "s:nemesis skew");
           } else if (k == "swarm") {
             n.swarm = ReadBool(L, v, "s:nemesis swarm");
           }
         });
  if (n.kinds.empty()) Fail(L, "s:nemesis: expected kinds = { ... } with at least one fault kind");
  if (n.every_min < Duration::Millis(1)) Fail(L, "s:nemesis every: expected an interval of at least 1ms");
  if (n.lasting_min < Duration::Millis(1)) Fail(L, "s:nemesis lasting: expected durations of at least 1ms");
  if (n.from.nanos() < 0) Fail(L, "s:nemesis from: expected a time at or after 0s");
  if (n.skew_max.nanos() < 0) Fail(L, "s:nemesis skew: expected a duration at or above 0s");
  if (!until_given) n.until = b.spec.duration;
  if (n.until > b.spec.duration) {
    Fail(L, Cat("s:nemesis until: ", FormatDuration(n.until), " is after the duration (", FormatDuration(b.spec.duration),
                "); after it every fault is healed"));
  }
  b.spec.nemesis = std::move(n);
  lua_settop(L, 1);
  return 1;
}

int Check(lua_State* L) {
  Builder& b = Self(L);
  CheckSpec c;
  c.line = Line(L);
  c.name = ReadString(L, 2, "s:check name");
  const ModelEntry* m = b.models->Find(b.spec.model);
  if (std::find(m->checks.begin(), m->checks.end(), c.name) == m->checks.end()) {
    Fail(L, Cat("s:check: model ", m->name, " has no check \"", c.name, "\"; its checks: ", Join(m->checks)));
  }
  if (!lua_isnoneornil(L, 3)) {
    if (!lua_istable(L, 3)) Fail(L, Cat("s:check options: expected a table, got ", What(L, 3)));
    lua_pushnil(L);
    while (lua_next(L, 3) != 0) {
      if (lua_type(L, -2) != LUA_TSTRING) Fail(L, "s:check options: expected named options");
      const std::string key = lua_tostring(L, -2);
      c.options[key] = Text(L, -1, Cat("s:check ", c.name, " ", key));
      lua_pop(L, 1);
    }
  }
  for (const CheckSpec& other : b.spec.checks) {
    if (other.name == c.name) Fail(L, Cat("s:check: \"", c.name, "\" is already checked"));
  }
  b.spec.checks.push_back(std::move(c));
  lua_settop(L, 1);
  return 1;
}

int Expect(lua_State* L) {
  Builder& b = Self(L);
  std::vector<std::string> names;
  if (lua_istable(L, 2)) {
    for (lua_Integer i = 1; lua_rawgeti(L, 2, i) != LUA_TNIL; ++i) {
      names.push_back(ReadString(L, -1, "s:expect"));
      lua_pop(L, 1);
    }
  } else {
    for (int i = 2; i <= lua_gettop(L); ++i) names.push_back(ReadString(L, i, "s:expect"));
  }
  if (names.empty()) Fail(L, "s:expect: expected the names of the checks this scenario expects to fail");
  for (std::string& n : names) {
    if (std::find(b.spec.expect.begin(), b.spec.expect.end(), n) != b.spec.expect.end()) {
      Fail(L, Cat("s:expect: \"", n, "\" is already expected"));
    }
    b.spec.expect.push_back(std::move(n));
  }
  lua_settop(L, 1);
  return 1;
}

// --- scenario { ... } ----------------------------------------------------

void ReadWorkload(lua_State* L, int idx, const ModelEntry& model, WorkloadSpec* w) {
  bool think = false;
  Fields(L, idx, "workload", {"clients", "distribution", "keys", "mix", "rate", "think", "zipf_exponent"},
         [&](const std::string& k, int v) {
           if (k == "clients") w->clients = static_cast<int>(ReadInt(L, v, "workload.clients", 1, 1000));
           if (k == "keys") w->keys = static_cast<int>(ReadInt(L, v, "workload.keys", 1, 1'000'000));
           if (k == "think") {
             w->think = ReadDuration(L, v, "workload.think");
             if (w->think.nanos() < 0) Fail(L, "workload.think: expected a duration at or above 0s");
             think = true;
           }
           if (k == "rate") {
             Result<int64_t> r = ParseRate(ReadString(L, v, "workload.rate"));
             if (!r.ok()) Fail(L, Cat("workload.rate: ", r.status().message()));
             w->rate_per_s = *r;
           }
           if (k == "distribution") {
             w->distribution = ReadString(L, v, "workload.distribution");
             if (w->distribution != "uniform" && w->distribution != "zipfian") {
               Fail(L, Cat("workload.distribution: expected \"uniform\" or \"zipfian\", got \"", w->distribution, "\""));
             }
           }
           if (k == "zipf_exponent") {
             Result<double> e = ParseDecimal(Text(L, v, "workload.zipf_exponent"));
             if (!e.ok() || *e <= 0 || *e > 5) Fail(L, "workload.zipf_exponent: expected a number above 0 and at most 5");
             w->zipf_exponent = *e;
           }
           if (k == "mix") {
             Fields(L, v, "workload.mix", model.operations, [&](const std::string& op, int wv) {
               w->mix[op] = ReadInt(L, wv, Cat("workload.mix.", op), 0, 1'000'000);
             });
           }
         });
  if (think && w->rate_per_s > 0) Fail(L, "workload: give think (a closed loop) or rate (a target rate), not both");
  if (!w->mix.empty()) {
    int64_t total = 0;
    for (const auto& [op, weight] : w->mix) total += weight;
    if (total == 0) Fail(L, "workload.mix: expected at least one operation with a weight above 0");
  }
}

// regions = { east = { "r1", "r2" }, west = { "r3" } }: node names are
// checked with the others once `nodes` is known (Validate).
void ReadRegions(lua_State* L, int idx, absl::btree_map<std::string, std::vector<std::string>>* regions) {
  if (!lua_istable(L, idx)) Fail(L, Cat("scenario.regions: expected a table of region = { nodes }, got ", What(L, idx)));
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) Fail(L, "scenario.regions: expected named regions: regions = { east = { \"r1\" } }");
    const std::string name = lua_tostring(L, -2);
    if (!lua_istable(L, -1)) Fail(L, Cat("scenario.regions.", name, ": expected a list of node names, got ", What(L, -1)));
    std::vector<std::string> nodes;
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) != LUA_TNIL; ++i) {
      nodes.push_back(ReadString(L, -1, Cat("scenario.regions.", name)));
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
    if (nodes.empty()) Fail(L, Cat("scenario.regions.", name, ": a region needs at least one node"));
    (*regions)[name] = std::move(nodes);
  }
}

// Applies --set overrides onto the declaration table at `idx`.
void ApplyOverrides(lua_State* L, int idx, const std::vector<std::string>& overrides) {
  static const std::vector<std::string> kTop = {"description", "duration",       "model",        "name",  "nodes",
                                                "quiesce",     "region_latency", "sample_every", "seed", "expect"};
  for (const std::string& o : overrides) {
    const size_t eq = o.find('=');
    if (eq == std::string::npos || eq == 0) Fail(L, Cat("--set ", o, ": expected k=v"));
    std::string key = o.substr(0, eq);
    const std::string value = o.substr(eq + 1);
    std::string table;
    if (key.rfind("workload.", 0) == 0) {
      table = "workload";
      key = key.substr(9);
    } else if (key.rfind("params.", 0) == 0) {
      table = "params";
      key = key.substr(7);
    } else if (std::find(kTop.begin(), kTop.end(), key) == kTop.end()) {
      table = "params";  // a bare name that is not a scenario field: a model parameter
    }
    if (table.empty()) {
      lua_pushstring(L, value.c_str());
      lua_setfield(L, idx, key.c_str());
      continue;
    }
    if (lua_getfield(L, idx, table.c_str()) == LUA_TNIL) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, idx, table.c_str());
    }
    lua_pushstring(L, value.c_str());
    lua_setfield(L, -2, key.c_str());
    lua_pop(L, 1);
  }
}

int Declare(lua_State* L) {
  Builder& b = B(L);
  if (b.declared) Fail(L, "scenario: a file declares one scenario");
  luaL_checktype(L, 1, LUA_TTABLE);
  ApplyOverrides(L, 1, b.options->overrides);
  ScenarioSpec& s = b.spec;
  // The model first: its schema decides what params and mix may hold.
  if (lua_getfield(L, 1, "model") == LUA_TNIL) Fail(L, Cat("scenario: expected model = one of ", Join(b.models->names())));
  s.model = ReadString(L, -1, "scenario.model");
  lua_pop(L, 1);
  const ModelEntry* m = b.models->Find(s.model);
  if (m == nullptr) Fail(L, Cat("scenario.model: unknown model \"", s.model, "\"; known models: ", Join(b.models->names())));
  bool named = false;
  Fields(L, 1, "scenario",
         {"description", "duration", "expect", "model", "name", "nodes", "params", "quiesce", "region_latency", "regions",
          "sample_every", "seed", "workload"},
         [&](const std::string& k, int v) {
           if (k == "name") {
             s.name = ReadString(L, v, "scenario.name");
             named = true;
           }
           if (k == "description") s.description = ReadString(L, v, "scenario.description");
           if (k == "nodes") s.nodes = static_cast<int>(ReadInt(L, v, "scenario.nodes", m->min_nodes, m->max_nodes));
           if (k == "seed") s.seed = static_cast<uint64_t>(ReadInt(L, v, "scenario.seed", 0, INT64_MAX));
           if (k == "duration") s.duration = ReadDuration(L, v, "scenario.duration");
           if (k == "quiesce") s.quiesce = ReadDuration(L, v, "scenario.quiesce");
           if (k == "sample_every") s.sample_every = ReadDuration(L, v, "scenario.sample_every");
           if (k == "params") {
             if (!lua_istable(L, v)) Fail(L, Cat("scenario.params: expected a table, got ", What(L, v)));
             lua_pushnil(L);
             while (lua_next(L, v) != 0) {
               if (lua_type(L, -2) != LUA_TSTRING) Fail(L, "scenario.params: expected named parameters");
               const std::string key = lua_tostring(L, -2);
               s.params[key] = Text(L, -1, Cat("params.", key));
               lua_pop(L, 1);
             }
           }
           if (k == "workload") ReadWorkload(L, v, *m, &s.workload);
           if (k == "region_latency") s.region_latency = ReadDuration(L, v, "scenario.region_latency");
           if (k == "regions") ReadRegions(L, v, &s.regions);
           if (k == "expect") {
             if (lua_type(L, v) == LUA_TSTRING) {
               s.expect.push_back(lua_tostring(L, v));
             } else {
               Fail(L, "scenario.expect: use s:expect(\"check\", ...)");
             }
           }
         });
  if (!named) Fail(L, "scenario: expected name = \"...\"");
  if (s.duration.nanos() <= 0) Fail(L, "scenario.duration: expected a positive duration");
  if (s.quiesce.nanos() < 0) Fail(L, "scenario.quiesce: expected a duration at or above 0s");
  if (s.sample_every.nanos() <= 0) Fail(L, "scenario.sample_every: expected a positive duration");
  Result<Params> p = Params::Validate(m->params, s.params);
  if (!p.ok()) Fail(L, Cat("scenario.params: ", p.status().message()));
  b.declared = true;
  lua_newuserdatauv(L, 0, 0);
  luaL_setmetatable(L, kScenarioMeta);
  return 1;
}

void Register(lua_State* L) {
  luaL_newmetatable(L, kFaultMeta);
  lua_pop(L, 1);
  luaL_newmetatable(L, kRoleMeta);
  lua_pop(L, 1);
  luaL_newmetatable(L, kScenarioMeta);
  static const luaL_Reg kMethods[] = {{"at", At}, {"nemesis", Nemesis}, {"check", Check}, {"expect", Expect}, {nullptr, nullptr}};
  luaL_newlib(L, kMethods);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);

  lua_register(L, "scenario", Declare);
  lua_register(L, "leader", Leader);
  lua_register(L, "primary", Primary);
  lua_register(L, "heal", Heal);
  lua_register(L, "crash", Crash);
  lua_register(L, "kill", Crash);
  lua_register(L, "restart", Restart);
  lua_register(L, "pause", Pause);
  lua_register(L, "resume", Resume);
  lua_register(L, "split_brain", SplitBrain);
  static const luaL_Reg kPartition[] = {{"halves", Halves},     {"isolate", Isolate}, {"majority_ring", MajoritiesRing},
                                        {"bridge", Bridge},     {"one_way", OneWay},  {"groups", Groups},
                                        {nullptr, nullptr}};
  luaL_newlib(L, kPartition);
  lua_setglobal(L, "partition");
  static const luaL_Reg kClock[] = {{"skew", Skew}, {"jump", Jump}, {"drift", Drift}, {nullptr, nullptr}};
  luaL_newlib(L, kClock);
  lua_setglobal(L, "clock");
  static const luaL_Reg kLink[] = {{"clog", Clog}, {"degrade", Degrade}, {nullptr, nullptr}};
  luaL_newlib(L, kLink);
  lua_setglobal(L, "link");
  static const luaL_Reg kDisk[] = {{"slow", SlowDisk}, {"full", FullDisk}, {"corrupt", Corrupt}, {nullptr, nullptr}};
  luaL_newlib(L, kDisk);
  lua_setglobal(L, "disk");
}

// Node names and checks the finished declaration refers to.
Status Validate(const ScenarioSpec& s, const ModelEntry& m) {
  const std::vector<std::string> names = ServerNames(m, s);
  const std::string known = m.server_names ? Join(names) : Cat("r1..r", s.nodes);
  auto check_node = [&](const NodeRef& n, int line) -> Status {
    if (!n.role.empty() || std::find(names.begin(), names.end(), n.name) != names.end()) return Status::Ok();
    return InvalidArgument(Cat(s.file, ":", line, ": unknown node \"", n.name, "\"; this scenario's nodes are ", known));
  };
  for (const Scheduled& f : s.schedule) {
    for (const NodeRef& n : f.fault.nodes) {
      if (Status st = check_node(n, f.line); !st.ok()) return st;
    }
    for (const auto& g : f.fault.groups) {
      for (const NodeRef& n : g) {
        if (Status st = check_node(n, f.line); !st.ok()) return st;
      }
    }
  }
  absl::btree_map<std::string, std::string> region_of;
  for (const auto& [region, nodes] : s.regions) {
    for (const std::string& n : nodes) {
      if (Status st = check_node(NodeRef{n, ""}, 0); !st.ok()) {
        return InvalidArgument(Cat(s.file, ": scenario.regions.", region, ": unknown node \"", n, "\"; this scenario's nodes are ", known));
      }
      if (auto [it, fresh] = region_of.emplace(n, region); !fresh) {
        return InvalidArgument(Cat(s.file, ": scenario.regions: ", n, " is in both ", it->second, " and ", region));
      }
    }
  }
  if (s.region_latency.nanos() < 0) return InvalidArgument(Cat(s.file, ": scenario.region_latency: expected a duration at or above 0s"));
  for (const std::string& e : s.expect) {
    const bool checked = std::any_of(s.checks.begin(), s.checks.end(), [&](const CheckSpec& c) { return c.name == e; });
    if (!checked) return InvalidArgument(Cat(s.file, ": s:expect(\"", e, "\") names a check the scenario does not run"));
  }
  for (const Scheduled& f : s.schedule) {
    if (f.at >= s.duration) {
      return InvalidArgument(Cat(s.file, ":", f.line, ": s:at ", FormatDuration(f.at), " is not before the duration (",
                                 FormatDuration(s.duration), "); after it every fault is healed and the system left to quiesce"));
    }
  }
  if (m.validate) {
    Status st = m.validate(*Params::Validate(m.params, s.params), s.checks);
    if (!st.ok()) return InvalidArgument(Cat(s.file, ": ", st.message()));
  }
  if (s.checks.empty()) return InvalidArgument(Cat(s.file, ": no checks; add s:check(...) (", m.name, " has ", Join(m.checks), ")"));
  return Status::Ok();
}

}  // namespace

std::string ServerName(int index) { return Cat("r", index + 1); }

std::vector<std::string> ServerNames(const ModelEntry& m, const ScenarioSpec& s) {
  std::vector<std::string> names;
  if (m.server_names) {
    Result<Params> params = Params::Validate(m.params, s.params);
    SIM_ASSERT_MSG(params.ok(), "ServerNames of a spec whose parameters do not validate");
    return m.server_names(*params, s.nodes);
  }
  for (int i = 0; i < s.nodes; ++i) names.push_back(ServerName(i));
  return names;
}

ScenarioSpec WithExplicitPlan(const ScenarioSpec& spec, const ModelEntry& model, uint64_t seed) {
  ScenarioSpec out = spec;
  if (!spec.nemesis) return out;
  // As the runner plans it: the nemesis's own stream, the scenario's faults
  // first at equal times.
  Rng rng = Rng::Stream(seed, "nemesis");
  NemesisPlan p = PlanNemesis(*spec.nemesis, ServerNames(model, spec), rng);
  out.schedule.insert(out.schedule.end(), p.faults.begin(), p.faults.end());
  std::stable_sort(out.schedule.begin(), out.schedule.end(), [](const Scheduled& a, const Scheduled& b) { return a.at < b.at; });
  out.nemesis.reset();
  return out;
}

Result<ScenarioSpec> LoadScenarioSource(const std::string& file, std::string_view source,
                                        const ModelRegistry& models, const LoadOptions& options) {
  Sandbox box(options.limits, options.seed);
  lua_State* L = box.state();
  Builder b{&models, &options, {}, false};
  b.spec.file = file;
  lua_pushlightuserdata(L, &b);
  lua_setfield(L, LUA_REGISTRYINDEX, kBuilderKey);
  Register(L);
  if (Status s = box.Run(file, source); !s.ok()) return s;
  if (!b.declared) return InvalidArgument(Cat(file, ": the file declares no scenario; expected `return scenario { ... }`"));
  if (!lua_isnil(L, 1) && luaL_testudata(L, 1, kScenarioMeta) == nullptr) {
    return InvalidArgument(Cat(file, ": expected the file to return its scenario (return s), got a ", luaL_typename(L, 1)));
  }
  if (Status s = Validate(b.spec, *models.Find(b.spec.model)); !s.ok()) return s;
  return std::move(b.spec);
}

Result<ScenarioSpec> LoadScenario(const std::string& path, const ModelRegistry& models, const LoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(Cat(path, ": cannot read the scenario file"));
  std::ostringstream text;
  text << in.rdbuf();
  return LoadScenarioSource(path, text.str(), models, options);
}

}  // namespace faultline::scenario
