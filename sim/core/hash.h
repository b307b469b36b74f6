// 64-bit hashing that is fixed across processes, machines and library
// versions. absl::Hash and std::hash are salted or unspecified, so neither
// may reach a trace hash, a stream seed or any output (design §2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace faultline {

// SplitMix64's finalizer: a bijective avalanche of one word.
constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Folded 128-bit product (the "mum" step of wyhash): fast and well mixed.
inline uint64_t Mum(uint64_t a, uint64_t b) {
  unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(p) ^ static_cast<uint64_t>(p >> 64);
}

// Hash of a byte string, little-endian word order. Stable forever: changing
// it changes every stream seed and every recorded trace hash.
uint64_t HashBytes(const void* data, size_t size, uint64_t seed);
inline uint64_t HashString(std::string_view s, uint64_t seed = 0) {
  return HashBytes(s.data(), s.size(), seed);
}

// A running hash over a sequence of words; order-sensitive.
class RunningHash {
 public:
  explicit RunningHash(uint64_t seed = 0) : h_(Mix64(seed ^ kInit)) {}
  void Add(uint64_t word) { h_ = Mum(h_ ^ word, kMul) + 0x2d358dccaa6c78a5ULL; }
  uint64_t value() const { return Mix64(h_); }

 private:
  static constexpr uint64_t kInit = 0x8bb84b93962eacc9ULL;
  static constexpr uint64_t kMul = 0x4b33a62ed433d4a3ULL;
  uint64_t h_;
};

}  // namespace faultline
