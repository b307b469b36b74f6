#include <catch2/catch.hpp>

#include <string>

#include "sim/core/slab.h"

namespace faultline {
namespace {

TEST_CASE("Slab hands out dense indices and reuses freed ones last-in first-out", "[slab]") {
  Slab<std::string> s;
  uint32_t a = s.Acquire(), b = s.Acquire(), c = s.Acquire();
  CHECK(a == 0);
  CHECK(b == 1);
  CHECK(c == 2);
  s[b] = "kept until reuse";
  s.Release(a);
  s.Release(b);
  CHECK(s.in_use() == 1);
  CHECK(s.Acquire() == b);  // last released, first reused: deterministic
  CHECK(s[b] == "kept until reuse");
  CHECK(s.Acquire() == a);
  CHECK(s.Acquire() == 3);
  CHECK(s.capacity() == 4);
  CHECK(s.in_use() == 4);
}

}  // namespace
}  // namespace faultline
