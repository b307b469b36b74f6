#include "sim/cli/repro_file.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/strings.h"

namespace faultline::cli {

Result<ReproFile> ReadReproFile(const std::string& dir_or_file) {
  namespace fs = std::filesystem;
  const fs::path target(dir_or_file);
  ReproFile out;
  out.path = (fs::is_directory(target) ? target / "repro.lua" : target).string();
  std::ifstream in(out.path, std::ios::binary);
  if (!in) return InvalidArgument(Cat(out.path, ": cannot read (expected a run directory or a repro.lua)"));
  std::ostringstream s;
  s << in.rdbuf();
  out.text = s.str();
  const size_t at = out.text.find("-- faultline: seed=");
  uint64_t seed = 0;
  if (at != std::string::npos && std::sscanf(out.text.c_str() + at, "-- faultline: seed=%" SCNu64 " trace_hash=%" SCNx64 " unseed=%" SCNx64,
                                             &seed, &out.trace_hash, &out.unseed) == 3) {
    out.seed = seed;
  }
  return out;
}

}  // namespace faultline::cli
