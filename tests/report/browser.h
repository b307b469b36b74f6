// Headless Chromium for the report pages' tests. Chromium is not a build
// dependency: without it a test says so and exits with ctest's skip code
// (77), skipped rather than passed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace faultline::testing {

inline std::string Chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (std::filesystem::exists(path)) return path;
  }
  std::fprintf(stderr, "SKIPPED: no chromium (apt-get install chromium) to run the report's script\n");
  std::exit(77);
}

}  // namespace faultline::testing
