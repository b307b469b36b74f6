// Per-node clocks (design §5). Virtual time is the truth; each node reads
// its own skewed, drifting clocks:
//   drift(now)     = accumulated + (now - since) * ppm / 1e6
//   wall(now)      = now + offset + drift(now)      skew and jumps move it
//   monotonic(now) = now + drift(now)               never moves backwards
// |ppm| is bounded below 1e6 (ADR: a clock that runs backwards is not a
// clock), so monotonic time is non-decreasing; a skew or jump changes only
// the wall clock's offset.
#pragma once

#include <vector>

#include "sim/core/ids.h"
#include "sim/core/status.h"
#include "sim/core/time.h"

namespace faultline {

class Clocks {
 public:
  static constexpr int64_t kMaxDriftPpm = 500'000;

  void AddNode() { clocks_.emplace_back(); }
  size_t size() const { return clocks_.size(); }

  Time Wall(NodeId n, Time now) const { return now + c(n).offset + Drift(c(n), now); }
  Time Monotonic(NodeId n, Time now) const { return now + Drift(c(n), now); }

  // Sets the wall clock's offset from true time (skew), e.g. +400ms.
  void SetOffset(NodeId n, Duration offset) { m(n).offset = offset; }
  // Steps the wall clock by `step`, forwards or backwards.
  void Jump(NodeId n, Duration step) { m(n).offset += step; }
  // Error if |ppm| > kMaxDriftPpm.
  static Status CheckDrift(int64_t ppm);
  Status SetDrift(NodeId n, int64_t ppm, Time now);
  Duration offset(NodeId n) const { return c(n).offset; }
  int64_t drift_ppm(NodeId n) const { return c(n).ppm; }

 private:
  struct NodeClock {
    Duration offset;
    int64_t ppm = 0;
    Time since;
    Duration accumulated;
  };
  static Duration Drift(const NodeClock& k, Time now) {
    // 128-bit: a long run at high drift would overflow int64 products.
    __int128 d = static_cast<__int128>((now - k.since).nanos()) * k.ppm / 1'000'000;
    return k.accumulated + Duration::Nanos(static_cast<int64_t>(d));
  }
  const NodeClock& c(NodeId n) const { return clocks_.at(n.value); }
  NodeClock& m(NodeId n) { return clocks_.at(n.value); }

  std::vector<NodeClock> clocks_;
};

}  // namespace faultline
