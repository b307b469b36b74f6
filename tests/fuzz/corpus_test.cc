// Replays every input kept under tests/fuzz/corpus/<target>/ through its
// fuzz target, so what the fuzzer once found stays fixed in CI.
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

namespace {

namespace fs = std::filesystem;

size_t Replay(const std::string& target, int (*fn)(const uint8_t*, size_t)) {
  fs::path dir = fs::path(FAULTLINE_FUZZ_CORPUS) / target;
  REQUIRE(fs::is_directory(dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(f.string());
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

}  // namespace
}  // namespace faultline
