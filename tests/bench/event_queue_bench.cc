// Event queue: one push plus one pop with N events pending (a steady state
// in which the queue neither grows nor shrinks).
#include <benchmark/benchmark.h>

#include "sim/core/rng.h"
#include "sim/engine/event_queue.h"

namespace faultline {
namespace {

void BM_EventQueuePushPop(benchmark::State& state) {
  const int64_t pending = state.range(0);
  EventQueue q;
  Rng rng(1);
  Time now;
  for (int64_t i = 0; i < pending; ++i) {
    q.Push(now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000))), Event{});
  }
  for (auto _ : state) {
    Event e;
    q.Pop(&now, &e);
    q.Push(now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000))), e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueuePushPop)->Arg(1'000)->Arg(1'000'000);

void BM_EventQueuePushCancel(benchmark::State& state) {
  const int64_t pending = state.range(0);
  EventQueue q;
  Rng rng(1);
  Time now;
  for (int64_t i = 0; i < pending; ++i) {
    q.Push(now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000))), Event{});
  }
  // A timeout armed and cancelled (an RPC answered in time), then one event
  // run so that the lazily deleted entries are reached and dropped.
  for (auto _ : state) {
    EventId id = q.Push(now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000))), Event{});
    q.Cancel(id);
    Event e;
    q.Pop(&now, &e);
    q.Push(now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000))), e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueuePushCancel)->Arg(1'000)->Arg(1'000'000);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
