// Reading a repro.lua as replay and shrink take it: a run directory or the
// file itself, with the header line `faultline run` leaves on it,
//   -- faultline: seed=N trace_hash=0x... unseed=0x...
#pragma once

#include <optional>
#include <string>

#include "sim/core/status.h"
#include "sim/scenario/repro.h"

namespace faultline::cli {

struct ReproFile {
  std::string path;  // the .lua file read
  std::string text;
  // Absent in a scenario written by hand (scenario::ParseReproHeader).
  std::optional<scenario::ReproHeader> header;
  // Set when a "-- faultline:" line does not read as a header (FILE:LINE).
  // Replay needs the header and fails on it; shrink given --seed does not.
  Status header_error;
};

// DIR means DIR/repro.lua. An unreadable file is an error naming it.
Result<ReproFile> ReadReproFile(const std::string& dir_or_file);

}  // namespace faultline::cli
