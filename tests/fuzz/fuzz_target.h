// One source per fuzz target, built two ways: with clang's libFuzzer as
// LLVMFuzzerTestOneInput (scripts/fuzz), and into the Catch2 corpus test as
// an ordinary function that replays tests/fuzz/corpus/<target>/ in CI.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/core/assert.h"

#if defined(FAULTLINE_LIBFUZZER)
#define FAULTLINE_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
#else
#define FAULTLINE_FUZZ_TARGET(name) int name(const uint8_t* data, size_t size)
#endif

// A property the fuzzer must not be able to break: aborts with the reason.
#define FUZZ_CHECK(cond) SIM_ASSERT_MSG(cond, "fuzz property violated")
