// A scenario as data: what the Lua file declared, validated, with every
// duration and rate parsed (design §9). The Lua API (api.h) builds it; the
// runner (runner.h) runs it; repro.lua is written back from it. Nothing in
// here refers to Lua.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/core/time.h"

namespace faultline::scenario {

// A node a fault targets: a name ("r1"), or a role ("leader", "primary")
// resolved to whichever node holds it when the fault fires.
struct NodeRef {
  std::string name;
  std::string role;
  std::string Lua() const;  // r1 -> "r1", the leader -> leader()
};

// One fault, as a scenario names it. `kind` is one of kFaultKinds.
struct Fault {
  std::string kind;
  std::vector<NodeRef> nodes;                 // the targets, in the order given
  std::vector<std::vector<NodeRef>> groups;   // partition.groups only
  Duration amount;                            // skew, jump, clog, slow disk
  int64_t number = 0;                         // drift (ppm); disk.corrupt: the block
  int64_t bit = 0;                            // disk.corrupt: the bit in the block
  std::string option;                         // crash: "lose" (unsynced writes) or "torn"; disk.corrupt: the file
  // link.degrade: as written (validated), "" when not given.
  std::string latency, loss, duplicate;       // "5ms" or "1ms..20ms"; "5%" or "0.05"
  std::string Lua() const;                    // as the scenario API writes it
};

// The fault kinds the API knows; the nemesis draws from a subset.
inline constexpr const char* kFaultKinds[] = {
    "partition.halves", "partition.isolate", "partition.majority_ring", "partition.bridge",
    "partition.one_way", "partition.groups", "heal", "crash", "restart", "pause", "resume",
    "clock.skew", "clock.jump", "clock.drift", "link.clog", "link.degrade", "disk.slow", "disk.full", "disk.corrupt", "split_brain"};

struct Scheduled {
  Duration at;
  Fault fault;
  std::optional<Duration> lasting;  // undone this long after `at` (heal, restart, resume, unskew)
  int line = 0;                     // in the scenario file
};

// A random generator of faults (design §5): every `every` (drawn between
// the bounds) from `from` to `until` it applies one fault of a kind drawn
// from `kinds` to a random node (or a role), lasting between the `lasting`
// bounds. With `swarm`, each seed first draws which of the kinds are on.
struct NemesisSpec {
  std::vector<std::string> kinds;  // "partition", "kill", "pause", "skew", "jump", "clog", "split_brain"
  Duration every_min, every_max;
  Duration lasting_min, lasting_max;
  Duration from, until;            // until: the scenario's duration if not given
  Duration skew_max;               // largest clock offset a skew or jump draws
  bool swarm = false;
};

inline constexpr const char* kNemesisKinds[] = {"partition", "kill", "pause", "skew", "jump", "clog", "split_brain"};

struct WorkloadSpec {
  int clients = 3;
  Duration think = Duration::Millis(20);  // closed loop: the pause between a client's operations
  int64_t rate_per_s = 0;                 // > 0: an open-ish loop at this total rate instead
  absl::btree_map<std::string, int64_t> mix;  // operation -> weight; empty: the model's default
  int keys = 10;
  std::string distribution = "uniform";   // or "zipfian"
  double zipf_exponent = 1.0;
};

struct CheckSpec {
  std::string name;
  absl::btree_map<std::string, std::string> options;  // as written: "within" -> "1s"
  int line = 0;
};

struct ScenarioSpec {
  std::string file;         // as given on the command line
  std::string name;
  std::string description;  // one line, for `faultline scenarios`
  std::string model;
  int nodes = 3;
  std::optional<uint64_t> seed;  // the run's seed when --seed is not given
  Duration duration = Duration::Seconds(10);  // the workload runs this long
  Duration quiesce = Duration::Seconds(2);    // then every fault is healed and the system left alone
  Duration sample_every = Duration::Millis(5);  // replica states, for convergence and split-brain
  absl::btree_map<std::string, std::string> params;  // validated against the model's schema
  // Servers grouped by region (names); links between servers of different
  // regions take `region_latency` each way. Empty: one region.
  absl::btree_map<std::string, std::vector<std::string>> regions;
  Duration region_latency = Duration::Millis(40);
  WorkloadSpec workload;
  std::vector<Scheduled> schedule;
  std::optional<NemesisSpec> nemesis;
  std::vector<CheckSpec> checks;
  // Checks this scenario expects to fail: it demonstrates a known weakness.
  std::vector<std::string> expect;
};

}  // namespace faultline::scenario
