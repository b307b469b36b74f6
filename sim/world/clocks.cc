#include "sim/world/clocks.h"

#include "sim/core/strings.h"

namespace faultline {

Status Clocks::CheckDrift(int64_t ppm) {
  if (ppm > kMaxDriftPpm || ppm < -kMaxDriftPpm) {
    return InvalidArgument(Cat("clock drift ", ppm, "ppm is outside [-", kMaxDriftPpm, ", ",
                               kMaxDriftPpm, "]"));
  }
  return Status::Ok();
}

Status Clocks::SetDrift(NodeId n, int64_t ppm, Time now) {
  if (Status s = CheckDrift(ppm); !s.ok()) return s;
  NodeClock& k = m(n);
  k.accumulated = Drift(k, now);  // fold what ran at the old rate
  k.since = now;
  k.ppm = ppm;
  return Status::Ok();
}

}  // namespace faultline
