#include "sim/cli/repro_file.h"

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
  Result<std::optional<scenario::ReproHeader>> header = scenario::ParseReproHeader(out.text, out.path);
  if (header.ok()) {
    out.header = *header;
  } else {
    out.header_error = header.status();
  }
  return out;
}

}  // namespace faultline::cli
