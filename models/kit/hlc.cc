#include "models/kit/hlc.h"

#include <algorithm>
#include <tuple>

#include "sim/core/assert.h"
#include "sim/core/strings.h"
#include "sim/core/time.h"

namespace faultline::kit {

std::string Timestamp::ToString() const {
  return Cat(FormatTime(Time::Zero() + Duration::Nanos(physical)), "+", logical, "@n", node);
}

std::string Timestamp::SortableText() const {
  // physical shifted by 2^63 so that negative times sort first; zero-padded.
  const uint64_t p = static_cast<uint64_t>(physical) ^ (uint64_t{1} << 63);
  std::string digits = Cat(p), l = Cat(logical), n = Cat(node);
  return Cat(std::string(20 - digits.size(), '0'), digits, ".", std::string(10 - l.size(), '0'), l, ".",
             std::string(10 - n.size(), '0'), n);
}

Timestamp Hlc::Now(int64_t wall) {
  if (wall > physical_) {
    physical_ = wall;
    logical_ = 0;
  } else {
    SIM_ASSERT_MSG(logical_ < UINT32_MAX, "HLC logical counter overflow");
    ++logical_;
  }
  return last();
}

void Hlc::Observe(const Timestamp& seen, int64_t wall) {
  const int64_t top = std::max({physical_, seen.physical, wall});
  uint32_t logical = 0;
  if (top == physical_ && top == seen.physical) {
    logical = std::max(logical_, seen.logical);
  } else if (top == physical_) {
    logical = logical_;
  } else if (top == seen.physical) {
    logical = seen.logical;
  }
  // The paper increments on receive too; keeping the maximum is enough
  // here because Now() increments before issuing.
  physical_ = top;
  logical_ = logical;
}

void Hlc::Restore(const Timestamp& t) {
  if (std::tie(t.physical, t.logical) > std::tie(physical_, logical_)) {
    physical_ = t.physical;
    logical_ = t.logical;
  }
}

}  // namespace faultline::kit
