// Event queue: one push plus one pop with N events pending (a steady state
// in which the queue neither grows nor shrinks).
#include <benchmark/benchmark.h>

#include "sim/core/rng.h"
#include "sim/engine/event_queue.h"

namespace faultline {
namespace {

Time Later(Time now, Rng& rng) {
  return now + Duration::Nanos(static_cast<int64_t>(rng.Uniform(1'000'000)));
}

// A queue holding `pending` events spread over the next millisecond.
void Fill(EventQueue& q, Rng& rng, int64_t pending) {
  for (int64_t i = 0; i < pending; ++i) q.Push(Later(Time(), rng), Event{});
}

void BM_EventQueuePushPop(benchmark::State& state) {
  const int64_t pending = state.range(0);
  EventQueue q;
  Rng rng(1);
  Time now;
  Fill(q, rng, pending);
  for (auto _ : state) {
    Event e;
    q.Pop(&now, &e);
    q.Push(Later(now, rng), e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueuePushPop)->Arg(1'000)->Arg(1'000'000);

void BM_EventQueuePushCancel(benchmark::State& state) {
  const int64_t pending = state.range(0);
  EventQueue q;
  Rng rng(1);
  Time now;
  Fill(q, rng, pending);
  // A timeout armed and cancelled (an RPC answered in time), then one event
  // run so that the lazily deleted entries are reached and dropped.
  for (auto _ : state) {
    EventId id = q.Push(Later(now, rng), Event{});
    q.Cancel(id);
    Event e;
    q.Pop(&now, &e);
    q.Push(Later(now, rng), e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueuePushCancel)->Arg(1'000)->Arg(1'000'000);

}  // namespace
}  // namespace faultline

BENCHMARK_MAIN();
