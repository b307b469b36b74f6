// The seed selections a sweep takes from its command line and from a
// cluster scheduler (design §10, docs/scale-out.md). Pure text parsing,
// fuzzed by tests/fuzz/sweep_fuzz.cc.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>

#include "sim/core/status.h"

namespace faultline::cli {

// --seeds A:B, inclusive, or a single seed N. A <= B.
Result<std::pair<uint64_t, uint64_t>> ParseSeeds(std::string_view text);

// The largest shard count a sweep takes: beyond it shards would run a
// handful of seeds each, and a typo (--shard 3/40000000) is likelier.
inline constexpr uint64_t kMaxShards = 1'000'000;

// Shard `index` of `count` as read from `from` (named in the error):
// 0 <= index < count <= kMaxShards.
Result<std::pair<uint32_t, uint32_t>> CheckShard(uint64_t index, uint64_t count, std::string_view from);

// --shard I/K.
Result<std::pair<uint32_t, uint32_t>> ParseShard(std::string_view text);

}  // namespace faultline::cli
