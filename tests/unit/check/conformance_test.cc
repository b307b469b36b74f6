// Conformance: every history in ../shared/histories/porcupine/MANIFEST.tsv
// gets its expected verdict. If the folder is missing the test says so and
// exits with ctest's skip code (77): skipped, not passed.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/unit/check/check_testing.h"

namespace faultline {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("Porcupine's histories get their expected verdicts", "[check][conformance]") {
  const std::string dir = FAULTLINE_SHARED_DIR "/histories/porcupine";
  std::ifstream manifest(dir + "/MANIFEST.tsv");
  if (!manifest) {
    std::fprintf(stderr, "SKIPPED: %s/MANIFEST.tsv not found (../shared beside the checkout)\n",
                 dir.c_str());
    std::exit(77);
  }
  std::string line;
  std::getline(manifest, line);  // header: file model expected
  int files = 0;
  while (std::getline(manifest, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string file, model_name, expected;
    REQUIRE(std::getline(fields, file, '\t'));
    REQUIRE(std::getline(fields, model_name, '\t'));
    REQUIRE(std::getline(fields, expected, '\t'));
    INFO(file << " " << model_name << " " << expected);
    Result<CheckResult> r = testing::CheckText(Slurp(dir + "/" + file), file, model_name);
    REQUIRE(r.ok());
    CHECK(r->verdict == (expected == "linearizable" ? Verdict::kOk : Verdict::kViolation));
    ++files;
  }
  CHECK(files == 54);
}

}  // namespace
}  // namespace faultline
