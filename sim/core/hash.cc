#include "sim/core/hash.h"

#include <cstring>

namespace faultline {

uint64_t HashBytes(const void* data, size_t size, uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = Mix64(seed ^ (0x9e3779b97f4a7c15ULL * (size + 1)));
  while (size >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);  // x86-64 and aarch64 are little-endian; see ADR 0001
    h = Mum(h ^ w, 0xa0761d6478bd642fULL);
    p += 8;
    size -= 8;
  }
  uint64_t tail = 0;
  for (size_t i = 0; i < size; ++i) tail |= static_cast<uint64_t>(p[i]) << (8 * i);
  h = Mum(h ^ tail, 0xe7037ed1a0b428dbULL);
  return Mix64(h);
}

}  // namespace faultline
