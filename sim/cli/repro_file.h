// Reading a repro.lua as replay and shrink take it: a run directory or the
// file itself, with the header line `faultline run` leaves on it,
//   -- faultline: seed=N trace_hash=0x... unseed=0x...
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/status.h"

namespace faultline::cli {

struct ReproFile {
  std::string path;  // the .lua file read
  std::string text;
  // From the header; absent in a scenario written by hand.
  std::optional<uint64_t> seed;
  uint64_t trace_hash = 0, unseed = 0;
};

// DIR means DIR/repro.lua. An unreadable file is an error naming it.
Result<ReproFile> ReadReproFile(const std::string& dir_or_file);

}  // namespace faultline::cli
