#include "sim/cli/seed_range.h"

#include "sim/core/numbers.h"
#include "sim/core/strings.h"

namespace faultline::cli {

Result<std::pair<uint64_t, uint64_t>> ParseSeeds(std::string_view text) {
  const size_t colon = text.find(':');
  Result<uint64_t> a = ParseUint(text.substr(0, colon), "--seeds");
  if (!a.ok()) return InvalidArgument(Cat(a.status().message(), " (expected A:B, e.g. 1:1000)"));
  if (colon == std::string_view::npos) return std::make_pair(*a, *a);
  Result<uint64_t> b = ParseUint(text.substr(colon + 1), "--seeds");
  if (!b.ok()) return InvalidArgument(Cat(b.status().message(), " (expected A:B, e.g. 1:1000)"));
  if (*b < *a) return InvalidArgument(Cat("--seeds ", text, ": the last seed is smaller than the first (expected A:B with A <= B)"));
  return std::make_pair(*a, *b);
}

Result<std::pair<uint32_t, uint32_t>> CheckShard(uint64_t index, uint64_t count, std::string_view from) {
  if (count == 0 || count > kMaxShards || index >= count) {
    return InvalidArgument(Cat(from, ": expected shard I of K with 0 <= I < K <= ", kMaxShards, ", got ", index, "/", count));
  }
  return std::make_pair(static_cast<uint32_t>(index), static_cast<uint32_t>(count));
}

Result<std::pair<uint32_t, uint32_t>> ParseShard(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return InvalidArgument(Cat("--shard ", text, ": expected I/K, e.g. 0/4"));
  Result<uint64_t> i = ParseUint(text.substr(0, slash), "--shard");
  if (!i.ok()) return i.status();
  Result<uint64_t> k = ParseUint(text.substr(slash + 1), "--shard");
  if (!k.ok()) return k.status();
  return CheckShard(*i, *k, Cat("--shard ", text));
}

}  // namespace faultline::cli
