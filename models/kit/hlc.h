// Timestamps for last-writer-wins (design §8, ADR 0006): where a write's
// timestamp comes from decides which concurrent write survives.
//
//  - wall: the node's wall clock as it reads. Skew reorders writes: a node
//    whose clock runs behind loses to older writes from others, even ones
//    it has already seen (a causality violation LWW then turns into a lost
//    update).
//  - hlc: a hybrid logical clock (Kulkarni et al., 2014). Its physical part
//    never runs behind any timestamp the node has seen, so a write that
//    follows another it observed always wins over it; between truly
//    concurrent writes skew still decides.
//
// A Timestamp orders by (physical, logical, node): the node id is the
// tiebreak that makes the order total.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace faultline::kit {

struct Timestamp {
  int64_t physical = 0;  // nanoseconds of some node's wall clock
  uint32_t logical = 0;  // HLC counter; 0 for wall
  uint32_t node = 0;     // tiebreak: the writing node
  auto operator<=>(const Timestamp&) const = default;
  std::string ToString() const;  // "1.250000000s+3@n2"
  // Fixed-width text that sorts as the timestamps do: the history's version.
  std::string SortableText() const;
};

// One node's hybrid logical clock. Not thread-safe (a node is one thread).
class Hlc {
 public:
  explicit Hlc(uint32_t node) : node_(node) {}
  // A timestamp for a local event (a write), greater than every timestamp
  // this clock has issued or observed. `wall` is the node's wall clock now.
  Timestamp Now(int64_t wall);
  // Takes in a timestamp seen on a message, so later local events order
  // after it.
  void Observe(const Timestamp& seen, int64_t wall);
  // The greatest timestamp issued or observed (physical, logical).
  Timestamp last() const { return Timestamp{physical_, logical_, node_}; }
  // Restores after a restart from a persisted last(); the clock never
  // goes back past what it issued before.
  void Restore(const Timestamp& t);

 private:
  uint32_t node_;
  int64_t physical_ = 0;
  uint32_t logical_ = 0;
};

// The wall-clock source: (wall, 0, node). No memory, no causality.
inline Timestamp WallTimestamp(int64_t wall, uint32_t node) { return Timestamp{wall, 0, node}; }

}  // namespace faultline::kit
