// PHOLD (Fujimoto's classic parallel-simulation benchmark) on the full
// stack: N nodes each loop forever: sleep uniform 0-2 ms of virtual time,
// send a 64-byte protobuf message to a uniformly random other node over a
// 1 ms link, then block until a message arrives. The network model,
// partition checks and trace hashing are all on: a partition that puts every
// node in one group makes each delivery take the full group-mask check
// without dropping anything (a drop would drain PHOLD's fixed population).
//
// Counters: delivered messages per CPU-second and the peak RSS of the process
// (run one N per process: scripts/bench). BM_IdleNodeMemory measures the
// memory of an idle node.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "sim/core/strings.h"
#include "sim/node/cluster.h"
#include "tests/bench/phold.pb.h"

namespace faultline {
namespace {

using namespace literals;

class PholdNode final : public Service {
 public:
  explicit PholdNode(Env& env) : env_(env) { payload_.set_data(std::string(62, 'x')); }
  void Run() override {
    const uint64_t n = env_.node_count();
    for (;;) {
      if (!env_.Sleep(env_.rng().Range(0_ms, 2_ms)).ok()) return;
      uint64_t peer = env_.rng().Uniform(n - 1);
      if (peer >= env_.id().value) ++peer;
      (void)env_.Send(NodeId(static_cast<uint32_t>(peer)), "p", payload_);
      if (!env_.Receive().ok()) return;
    }
  }

 private:
  Env& env_;
  bench::Payload payload_;
};

int64_t CurrentRssBytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<int64_t>(resident) * sysconf(_SC_PAGESIZE);
}

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void RunPhold(benchmark::State& state, size_t guarded_stacks_max,
              Prefetch prefetch = Prefetch::kAuto) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  auto sim = std::make_unique<Simulation>(SimOptions{
      .seed = 1, .guarded_stacks_max = guarded_stacks_max, .prefetch = prefetch});
  auto world = std::make_unique<World>(*sim);
  auto cluster = std::make_unique<Cluster>(*world);
  for (uint32_t i = 0; i < n; ++i) {
    cluster->AddNode(Cat("n", i + 1), [](Env& env) { return std::make_unique<PholdNode>(env); });
  }
  world->network().SetDefaultLink(LinkConfig{.latency = LatencyModel::Constant(1_ms)});
  std::vector<NodeId> everyone = world->nodes();
  Result<Connectivity> one_group = Connectivity::Groups(n, {everyone});
  if (!one_group.ok() || !world->faults().Partition(*one_group, "one group").ok()) {
    state.SkipWithError("partition");
  }
  cluster->StartAll();
  sim->Run(Time::Zero());  // every node boots, sends nothing yet, sleeps

  const Duration chunk = n >= 100'000 ? 1_ms : (n >= 1000 ? 10_ms : 100_ms);
  uint64_t delivered_before = world->network().stats().delivered;
  double cpu_before = CpuSeconds();
  for (auto _ : state) sim->Run(sim->now() + chunk);
  double cpu = CpuSeconds() - cpu_before;
  uint64_t delivered = world->network().stats().delivered - delivered_before;

  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  state.counters["msgs_per_cpu_s"] = static_cast<double>(delivered) / cpu;
  state.counters["delivered"] = static_cast<double>(delivered);
  state.counters["peak_rss_mib"] = static_cast<double>(u.ru_maxrss) / 1024.0;
  state.counters["events"] = static_cast<double>(sim->events_executed());
  char hash[24];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(sim->trace_hash()));
  state.SetLabel(Cat("trace ", hash));
}
void BM_PHOLD(benchmark::State& state) { RunPhold(state, 0); }

// Memory of an idle node: RSS after building and booting N PHOLD nodes (each
// blocked in its first sleep), less RSS before, divided by N. Runs once and
// must be the first thing its process does: Google Benchmark calls a
// benchmark function several times, and later calls reuse memory the first
// freed, which RSS no longer shows (scripts/bench runs it alone).
void BM_IdleNodeMemory(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  for (auto _ : state) {
    int64_t before = CurrentRssBytes();
    Simulation sim(SimOptions{.seed = 1});
    World world(sim);
    Cluster cluster(world);
    for (uint32_t i = 0; i < n; ++i) {
      cluster.AddNode(Cat("n", i + 1), [](Env& env) { return std::make_unique<PholdNode>(env); });
    }
    cluster.StartAll();
    sim.Run(Time::Zero());
    state.counters["idle_bytes_per_node"] =
        static_cast<double>(CurrentRssBytes() - before) / static_cast<double>(n);
    state.counters["fibers"] = static_cast<double>(sim.fiber_count());
  }
}
BENCHMARK(BM_IdleNodeMemory)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMillisecond);
void BM_PHOLDFixed(benchmark::State& state) { RunPhold(state, 1); }
// Prefetch hints forced off (0) or on (1), for choosing kPrefetchAutoNodes.
void BM_PHOLDPrefetch(benchmark::State& state) {
  RunPhold(state, 0, state.range(1) != 0 ? Prefetch::kOn : Prefetch::kOff);
}
BENCHMARK(BM_PHOLDPrefetch)
    ->ArgsProduct({{1'000, 10'000, 100'000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

BENCHMARK(BM_PHOLD)->Arg(10)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond)
    ->MinTime(3.0);
// A fixed amount of work (300 or 20 chunks), for instruction counts under
// callgrind, which do not depend on the machine's load (canaries instead of
// guard pages: valgrind cannot track thousands of mappings):
//   valgrind --tool=callgrind --toggle-collect='*Simulation::Run*'
//       phold_bench --benchmark_filter=BM_PHOLDFixed/1000
BENCHMARK(BM_PHOLDFixed)->Arg(1'000)->Iterations(300)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PHOLDFixed)->Arg(100'000)->Iterations(20)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
