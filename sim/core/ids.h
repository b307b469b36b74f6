// Identifiers. A NodeId is a dense index into the simulation's node table,
// assigned in creation order, so it is deterministic and cheap to compare.
#pragma once

#include <cstdint>
#include <limits>

namespace faultline {

struct NodeId {
  uint32_t value = kInvalid;
  static constexpr uint32_t kInvalid = std::numeric_limits<uint32_t>::max();

  constexpr NodeId() = default;
  constexpr explicit NodeId(uint32_t v) : value(v) {}
  constexpr bool valid() const { return value != kInvalid; }
  constexpr auto operator<=>(const NodeId&) const = default;
};

}  // namespace faultline
