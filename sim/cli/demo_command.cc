// `faultline demo`: runs the demo cluster and prints its summary: the seed,
// the trace hash, the unseed, what happened and how to replay it. With
// --expect-hash it is a replay: a different trace hash exits 3.
#include <chrono>  // wall time for the summary only; sim/cli is exempt (design §2)
#include <cinttypes>
#include <cstdio>

#include "sim/cli/commands.h"
#include "sim/cli/demo.h"
#include "sim/cli/exit_codes.h"
#include "sim/cli/flags.h"
#include "sim/core/strings.h"

namespace faultline {
namespace {

void PrintSummary(const DemoOptions& o, const DemoResult& r, double wall_ms) {
  std::printf("faultline demo: %u nodes, %s of virtual time, %s\n", o.nodes,
              FormatDuration(o.duration).c_str(),
              o.nemesis ? "random nemesis" : "scripted faults");
  std::printf("\nfaults applied (%zu):\n", r.faults.size());
  for (const FaultRecord& f : r.faults) {
    std::printf("  %14s  %-10s %-8s %s\n", FormatTime(f.at).c_str(), f.kind.c_str(),
                f.target.c_str(), f.detail.c_str());
  }
  std::printf("\n");
  std::printf("seed         %" PRIu64 "\n", o.seed);
  std::printf("trace hash   %s\n", HexWord(r.trace_hash).c_str());
  std::printf("unseed       %s\n", HexWord(r.unseed).c_str());
  std::printf("events       %" PRIu64 " in %.1f ms wall (%.0f events/s)\n", r.events, wall_ms,
              wall_ms > 0 ? static_cast<double>(r.events) / (wall_ms / 1000.0) : 0.0);
  std::printf("messages     sent %" PRIu64 ", delivered %" PRIu64 ", dropped %" PRIu64
              " (partition %" PRIu64 ", loss %" PRIu64 ", node down %" PRIu64 "), duplicated %" PRIu64 "\n",
              r.net.sent, r.net.delivered, r.net.dropped(), r.net.dropped_partition,
              r.net.dropped_loss, r.net.dropped_down, r.net.duplicated);
  std::printf("rpc          calls %" PRIu64 ", ok %" PRIu64 ", timeouts %" PRIu64
              ", late replies %" PRIu64 "\n",
              r.rpc.calls, r.rpc.ok, r.rpc.timeouts, r.rpc.late_responses);
  std::printf("puts         ok %" PRIu64 ", failed %" PRIu64 "; log entries recovered at boot %" PRIu64 "\n",
              r.puts_ok, r.puts_failed, r.recovered_entries);
  std::printf("\nreplay       faultline demo --seed %" PRIu64 " --nodes %u --duration %s%s --expect-hash %s\n",
              o.seed, o.nodes, FormatDuration(o.duration).c_str(), o.nemesis ? " --nemesis on" : "",
              HexWord(r.trace_hash).c_str());
}

}  // namespace

int DemoCommand(const std::vector<std::string>& args) {
  Flags flags;
  flags.Declare("seed", "root seed of the run", "1");
  flags.Declare("nodes", "number of nodes, 2..1000", "5");
  flags.Declare("duration", "virtual time to simulate", "10s");
  flags.Declare("nemesis", "on: random faults drawn from the seed; off: a fixed schedule", "off");
  flags.Declare("expect-hash", "replay: exit 3 unless the trace hash equals this", "");
  flags.Declare("quiet", "on: print only 'seed trace_hash unseed'", "off");
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      std::printf("usage: faultline demo [flags]\n%s", flags.Help().c_str());
      return kExitOk;
    }
  }
  Status parsed = flags.Parse(args);
  auto fail = [](const Status& s) {
    std::fprintf(stderr, "faultline demo: %s\n", s.message().c_str());
    return kExitBadInput;
  };
  if (!parsed.ok()) return fail(parsed);
  if (!flags.positional().empty()) {
    return fail(InvalidArgument(Cat("unexpected argument \"", flags.positional()[0], "\"")));
  }
  DemoOptions o;
  Result<uint64_t> seed = flags.GetUint("seed");
  Result<uint64_t> nodes = flags.GetUint("nodes");
  Result<Duration> duration = flags.GetDuration("duration");
  if (!seed.ok()) return fail(seed.status());
  if (!nodes.ok()) return fail(nodes.status());
  if (!duration.ok()) return fail(duration.status());
  if (*nodes < 2 || *nodes > 1000) return fail(InvalidArgument("--nodes: expected 2..1000"));
  if (duration->nanos() <= 0) return fail(InvalidArgument("--duration: expected a positive duration"));
  for (const char* b : {"nemesis", "quiet"}) {
    if (flags.Get(b) != "on" && flags.Get(b) != "off") {
      return fail(InvalidArgument(Cat("--", b, ": expected on or off, got \"", flags.Get(b), "\"")));
    }
  }
  uint64_t expected = 0;
  if (flags.WasSet("expect-hash")) {
    Result<uint64_t> e = flags.GetUint("expect-hash");
    if (!e.ok()) return fail(e.status());
    expected = *e;
  }
  o.seed = *seed;
  o.nodes = static_cast<uint32_t>(*nodes);
  o.duration = *duration;
  o.nemesis = flags.Get("nemesis") == "on";

  auto start = std::chrono::steady_clock::now();
  DemoResult r = RunDemo(o);
  double wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (flags.Get("quiet") == "on") {
    std::printf("%" PRIu64 " %s %s\n", o.seed, HexWord(r.trace_hash).c_str(), HexWord(r.unseed).c_str());
  } else {
    PrintSummary(o, r, wall_ms);
  }
  if (flags.WasSet("expect-hash") && r.trace_hash != expected) {
    std::fprintf(stderr, "faultline demo: NONDETERMINISM: trace hash %s, expected %s (seed %" PRIu64 ")\n",
                 HexWord(r.trace_hash).c_str(), HexWord(expected).c_str(), o.seed);
    return kExitNondeterminism;
  }
  return kExitOk;
}

}  // namespace faultline
