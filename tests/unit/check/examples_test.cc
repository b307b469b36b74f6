// Every hand-written history in tests/histories/ gets the verdict its name
// declares: MODEL--what-it-shows--VERDICT.{edn,jsonl}.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/unit/check/check_testing.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

TEST_CASE("Hand-written histories get the verdicts their names declare", "[check][examples]") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(FAULTLINE_EXAMPLES_DIR)) {
    const std::string ext = entry.path().extension().string();
    if (ext == ".edn" || ext == ".jsonl") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  size_t ok = 0, violations = 0;
  for (const fs::path& path : files) {
    const std::string name = path.stem().string();
    INFO(name);
    const size_t first = name.find("--"), last = name.rfind("--");
    REQUIRE(first != std::string::npos);
    REQUIRE(last != first);
    const std::string model_name = name.substr(0, first);
    const std::string verdict = name.substr(last + 2);
    REQUIRE((verdict == "ok" || verdict == "violation"));
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    Result<CheckResult> r = testing::CheckText(text.str(), path.filename().string(), model_name);
    REQUIRE(r.ok());
    CHECK(r->verdict == (verdict == "ok" ? Verdict::kOk : Verdict::kViolation));
    (verdict == "ok" ? ok : violations) += 1;
  }
  CHECK(ok >= 8);  // a good and a bad history per model
  CHECK(violations >= 8);
}

}  // namespace
}  // namespace faultline
