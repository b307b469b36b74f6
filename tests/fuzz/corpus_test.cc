// Replays every input kept under tests/fuzz/corpus/<target>/ and
// tests/fuzz/regressions/<target>/ through its fuzz target, so what the
// fuzzer once found stays fixed in CI.
#include <cstdio>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_target.h"

namespace faultline {
FAULTLINE_FUZZ_TARGET(FuzzParse);
FAULTLINE_FUZZ_TARGET(FuzzEnvelope);
FAULTLINE_FUZZ_TARGET(FuzzHistory);
FAULTLINE_FUZZ_TARGET(FuzzScenario);
FAULTLINE_FUZZ_TARGET(FuzzSweep);

namespace {

namespace fs = std::filesystem;

size_t Replay(const std::string& target, int (*fn)(const uint8_t*, size_t)) {
  std::vector<fs::path> files;
  for (const char* kind : {"corpus", "regressions"}) {
    fs::path dir = fs::path(FAULTLINE_FUZZ_DIR) / kind / target;
    REQUIRE(fs::is_directory(dir));
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A violated property aborts before Catch can report: name the input first.
    std::fprintf(stderr, "replaying %s\n", f.string().c_str());
    fn(reinterpret_cast<const uint8_t*>(data.data()), data.size());  // aborts on a violation
  }
  return files.size();
}

TEST_CASE("The parse fuzz corpus replays cleanly", "[fuzz]") {
  CHECK(Replay("parse", &FuzzParse) >= 10);
}

TEST_CASE("The envelope fuzz corpus replays cleanly", "[fuzz]") {
  CHECK(Replay("envelope", &FuzzEnvelope) >= 10);
}

TEST_CASE("The history fuzz corpus replays cleanly", "[fuzz]") {
  CHECK(Replay("history", &FuzzHistory) >= 10);
}

TEST_CASE("The scenario fuzz corpus replays cleanly", "[fuzz]") {
  CHECK(Replay("scenario", &FuzzScenario) >= 10);
}

TEST_CASE("The sweep fuzz corpus replays cleanly", "[fuzz]") {
  CHECK(Replay("sweep", &FuzzSweep) >= 10);
}

}  // namespace
}  // namespace faultline
