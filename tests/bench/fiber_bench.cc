// Cost of one fiber switch round trip: Resume() into the fiber and
// Suspend() back out.
#include <benchmark/benchmark.h>

#include "sim/fiber/fiber.h"

namespace faultline {
namespace {

void BM_FiberSwitchRoundTrip(benchmark::State& state) {
  StackPool pool;
  bool stop = false;
  Fiber f(&pool, [&] {
    while (!stop) Fiber::Suspend();
  });
  for (auto _ : state) f.Resume();
  stop = true;
  f.Resume();
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FiberSwitchRoundTrip);

void BM_FiberCreateRunDestroy(benchmark::State& state) {
  StackPool pool;
  for (auto _ : state) {
    Fiber f(&pool, [] { Fiber::Suspend(); });
    f.Resume();
    f.Resume();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FiberCreateRunDestroy);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
