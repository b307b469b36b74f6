#include <catch2/catch.hpp>

#include "sim/core/numbers.h"

namespace faultline {
namespace {

TEST_CASE("ParseUint takes decimal and 0x hex, nothing else, and reports overflow", "[numbers]") {
  CHECK(*ParseUint("0", "n") == 0);
  CHECK(*ParseUint("18446744073709551615", "n") == UINT64_MAX);
  CHECK(*ParseUint("0xFFffFFffFFffFFff", "n") == UINT64_MAX);
  CHECK(*ParseUint("0x10", "n") == 16);
  for (const char* bad : {"", "0x", "-1", "+1", " 1", "1 ", "1e3", "0x1g", "abc"}) {
    INFO(bad);
    Result<uint64_t> r = ParseUint(bad, "--seeds");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().rfind("--seeds: expected", 0) == 0);
  }
  for (const char* big : {"18446744073709551616", "0x10000000000000000", "99999999999999999999"}) {
    INFO(big);
    Result<uint64_t> r = ParseUint(big, "n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message().find("is too large") != std::string::npos);
  }
}

}  // namespace
}  // namespace faultline
