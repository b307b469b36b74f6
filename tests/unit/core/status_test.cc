#include <catch2/catch.hpp>

#include "sim/core/status.h"

namespace faultline {
namespace {

TEST_CASE("Result holds a value or an error", "[status]") {
  Result<int> ok = 5;
  REQUIRE(ok.ok());
  CHECK(*ok == 5);
  CHECK(ok.code() == Error::kOk);
  Result<int> bad = Status(Error::kTimeout, "call n1 -> n2 'get' after 100ms");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.code() == Error::kTimeout);
  CHECK(bad.status().ToString() == "timeout: call n1 -> n2 'get' after 100ms");
}

}  // namespace
}  // namespace faultline
