// What a write leaves in its key, for the checkers over keyed register
// histories (lost writes, lww-rule, sessions): `write v` leaves v (nil: a
// delete), `cas [old new]` leaves new. Anything else is not a write.
#pragma once

#include "sim/history/history.h"

namespace faultline {

inline bool WriteEffect(const Operation& op, Value* left) {
  if (op.f == "write") {
    *left = op.input;
    return true;
  }
  if (op.f == "cas" && op.input.is_list() && op.input.items().size() == 2) {
    *left = op.input.items()[1];
    return true;
  }
  return false;
}

}  // namespace faultline
