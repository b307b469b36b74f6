#include "sim/engine/trace.h"

namespace faultline {

std::optional<size_t> FirstDivergence(const std::vector<TraceEntry>& a,
                                      const std::vector<TraceEntry>& b) {
  size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    if (a[i].at != b[i].at || a[i].kind != b[i].kind || a[i].node != b[i].node ||
        a[i].hash != b[i].hash) {
      return i;
    }
  }
  if (a.size() != b.size()) return n;
  return std::nullopt;
}

}  // namespace faultline
