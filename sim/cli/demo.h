// The demo cluster: the main job of `scripts/demo` until scenarios exist.
// Each node appends puts from its peers to a log on its disk (fsync'd every
// fourth entry), calls put on random peers, and gossips one-way messages.
// Faults come from a fixed schedule (partition, skew, torn crash, restart,
// pause, heal) or, with `nemesis`, from a random generator that also draws
// which fault kinds are on for the seed (swarm testing).
//
// The determinism tests run this same workload in-process and as a child
// process (`faultline demo --nemesis --seed N`).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/engine/trace.h"
#include "sim/node/cluster.h"

namespace faultline {

struct DemoOptions {
  uint64_t seed = 1;
  uint32_t nodes = 5;
  Duration duration = Duration::Seconds(10);
  bool nemesis = false;
  bool trace_log = false;
  Prefetch prefetch = Prefetch::kAuto;
};

struct DemoResult {
  uint64_t trace_hash = 0;
  uint64_t unseed = 0;
  uint64_t events = 0;
  Time end;
  NetStats net;
  RpcStats rpc;
  uint64_t puts_ok = 0;
  uint64_t puts_failed = 0;
  uint64_t recovered_entries = 0;  // log entries found on disk at reboots
  std::vector<FaultRecord> faults;
  std::vector<TraceEntry> trace_log;
};

DemoResult RunDemo(const DemoOptions& options);

// Installs the random nemesis of `--nemesis` on a running world.
void InstallRandomNemesis(World& world, Duration until);

}  // namespace faultline
