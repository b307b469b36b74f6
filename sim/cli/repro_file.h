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
};

// DIR means DIR/repro.lua. An unreadable file, or a header line that does
// not read, is an error naming the file (and the line).
Result<ReproFile> ReadReproFile(const std::string& dir_or_file);

}  // namespace faultline::cli
