#include <catch2/catch.hpp>

#include "sim/core/hash.h"

namespace faultline {
namespace {

TEST_CASE("HashBytes is stable and sensitive to every byte", "[hash]") {
  // Pinned: a change here invalidates every recorded trace hash.
  CHECK(HashString("faultline") == 0x6d62ed3eea963bebULL);
  CHECK(HashString("faultline") != HashString("faultlinf"));
  CHECK(HashString("") != HashString(std::string_view("\0", 1)));
  CHECK(HashString("abc", 1) != HashString("abc", 2));
  for (size_t n = 0; n < 20; ++n) {
    std::string a(n, 'x');
    std::string b = a + "y";
    CHECK(HashString(a) != HashString(b));
  }
}

TEST_CASE("RunningHash depends on order", "[hash]") {
  RunningHash a, b;
  a.Add(1);
  a.Add(2);
  b.Add(2);
  b.Add(1);
  CHECK(a.value() != b.value());
  RunningHash c;
  c.Add(1);
  c.Add(2);
  CHECK(a.value() == c.value());
}

}  // namespace
}  // namespace faultline
