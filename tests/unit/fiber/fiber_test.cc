#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/fiber/fiber.h"

namespace faultline {
namespace {

TEST_CASE("A fiber runs until it suspends and continues where it left off", "[fiber]") {
  StackPool pool;
  std::vector<int> trace;
  Fiber f(&pool, [&] {
    trace.push_back(1);
    Fiber::Suspend();
    trace.push_back(3);
    Fiber::Suspend();
    trace.push_back(5);
  });
  CHECK_FALSE(Fiber::InFiber());
  f.Resume();
  trace.push_back(2);
  f.Resume();
  trace.push_back(4);
  CHECK_FALSE(f.finished());
  f.Resume();
  CHECK(f.finished());
  CHECK(trace == std::vector<int>{1, 2, 3, 4, 5});
}

struct Witness {
  explicit Witness(int* counter) : counter(counter) {}
  ~Witness() { ++*counter; }
  int* counter;
};

TEST_CASE("Unwind runs every destructor on the fiber's stack", "[fiber]") {
  StackPool pool;
  int destroyed = 0;
  bool reached_end = false;
  Fiber f(&pool, [&] {
    Witness outer(&destroyed);
    {
      Witness inner(&destroyed);
      auto heap = std::make_unique<Witness>(&destroyed);
      Fiber::Suspend();
    }
    reached_end = true;
  });
  f.Resume();
  CHECK(destroyed == 0);
  f.Unwind();
  CHECK(f.finished());
  CHECK(destroyed == 3);
  CHECK_FALSE(reached_end);
}

TEST_CASE("Unwind of a fiber that never ran destroys its captures", "[fiber]") {
  StackPool pool;
  int destroyed = 0;
  {
    auto w = std::make_shared<Witness>(&destroyed);
    Fiber f(&pool, [w] { Fiber::Suspend(); });
    w.reset();
    f.Unwind();
    CHECK(f.finished());
  }
  CHECK(destroyed == 1);
}

TEST_CASE("A catch(...) that swallows the unwind cannot wait again", "[fiber]") {
  StackPool pool;
  int rethrown = 0;
  Fiber f(&pool, [&] {
    try {
      Fiber::Suspend();
    } catch (...) {
      // Swallowed. Waiting again must rethrow, not hang the crash.
    }
    try {
      Fiber::Suspend();
    } catch (const FiberUnwind&) {
      ++rethrown;
      throw;
    }
  });
  f.Resume();
  f.Unwind();
  CHECK(f.finished());
  CHECK(rethrown == 1);
}

TEST_CASE("An exception escaping a fiber reaches the resumer", "[fiber]") {
  StackPool pool;
  Fiber f(&pool, [] { throw std::runtime_error("service bug"); });
  CHECK_THROWS_WITH(f.Resume(), "service bug");
  CHECK(f.finished());
}

TEST_CASE("Stacks are pooled and reused", "[fiber]") {
  StackPool pool(StackPool::Options{.stack_bytes = 32 * 1024, .stacks_per_slab = 4});
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<Fiber>> fibers;
    for (int i = 0; i < 6; ++i) {
      fibers.push_back(std::make_unique<Fiber>(&pool, [] { Fiber::Suspend(); }));
      fibers.back()->Resume();
    }
    for (auto& f : fibers) f->Resume();
  }
  CHECK(pool.stacks_created() == 8);  // two slabs of four, reused thrice
  CHECK(pool.stacks_in_use() == 0);
}

TEST_CASE("Guard pages stop at the budget, the rest use a canary", "[fiber]") {
  StackPool pool(StackPool::Options{.stack_bytes = 16 * 1024, .stacks_per_slab = 4,
                                    .guarded_stacks_max = 2});
  std::vector<FiberStack> stacks;
  for (int i = 0; i < 4; ++i) stacks.push_back(pool.Acquire());
  CHECK(pool.stacks_guarded() == 2);
  int unguarded = 0;
  for (const FiberStack& s : stacks) {
    unguarded += !s.guarded;
    StackPool::CheckCanary(s);  // intact: does not abort
  }
  CHECK(unguarded == 2);
  for (const FiberStack& s : stacks) pool.Release(s);
}

int Recurse(int depth) {
  volatile int pad[128];
  pad[0] = depth;
  if (depth == 0) {
    Fiber::Suspend();
    return pad[0];
  }
  return Recurse(depth - 1) + pad[0];
}

TEST_CASE("Deep stacks within the configured size work", "[fiber]") {
  StackPool pool(StackPool::Options{.stack_bytes = 256 * 1024});
  int result = -1;
  Fiber f(&pool, [&] { result = Recurse(200); });  // ~100 KiB of frames
  f.Resume();
  f.Resume();
  CHECK(f.finished());
  CHECK(result == 200 * 201 / 2);
}

TEST_CASE("Many fibers interleave in the order they are resumed", "[fiber]") {
  StackPool pool;
  std::string out;
  std::vector<std::unique_ptr<Fiber>> fibers;
  for (char c = 'a'; c <= 'e'; ++c) {
    fibers.push_back(std::make_unique<Fiber>(&pool, [&out, c] {
      for (int i = 0; i < 3; ++i) {
        out.push_back(c);
        Fiber::Suspend();
      }
    }));
  }
  for (int round = 0; round < 4; ++round) {
    for (auto& f : fibers) {
      if (!f->finished()) f->Resume();
    }
  }
  CHECK(out == "abcdeabcdeabcde");
  for (auto& f : fibers) CHECK(f->finished());
}

}  // namespace
}  // namespace faultline
