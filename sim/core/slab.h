// A vector of T addressed by dense uint32 indices, with freed indices reused
// last-in first-out. Indices are deterministic (they depend only on the
// sequence of Acquire/Release calls), so they may name things in a trace;
// a pointer may not (design §2). Released elements keep their storage until
// reused; the owner resets what must not linger.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/assert.h"

namespace faultline {

template <typename T>
class Slab {
 public:
  // A free index; its element is default-constructed the first time and as
  // its last user left it afterwards.
  uint32_t Acquire() {
    if (!free_.empty()) {
      uint32_t i = free_.back();
      free_.pop_back();
      return i;
    }
    items_.emplace_back();
    return static_cast<uint32_t>(items_.size() - 1);
  }
  // REQUIRES: i came from Acquire and was not released since.
  void Release(uint32_t i) {
    SIM_ASSERT(i < items_.size());
    free_.push_back(i);
  }

  T& operator[](uint32_t i) { return items_[i]; }
  const T& operator[](uint32_t i) const { return items_[i]; }
  // Every index ever handed out is below capacity().
  size_t capacity() const { return items_.size(); }
  size_t in_use() const { return items_.size() - free_.size(); }

 private:
  std::vector<T> items_;
  std::vector<uint32_t> free_;
};

}  // namespace faultline
