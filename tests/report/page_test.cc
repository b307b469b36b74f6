// The report page's script, run by a real browser: headless Chromium
// renders a page and dumps the DOM its script built. Chromium is not a
// build dependency: without it the test says so and exits with ctest's
// skip code (77), skipped rather than passed.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/check/models.h"
#include "sim/core/strings.h"
#include "sim/history/formats.h"
#include "sim/report/check_report.h"
#include "tests/process.h"
#include "tests/report/browser.h"

namespace faultline {
namespace {

// The DOM after the page's script ran.
std::string Rendered(const std::string& page, const std::string& name) {
  const std::string path = std::string(FAULTLINE_TMP_DIR) + "/" + name;
  std::ofstream(path, std::ios::binary) << page;
  testing::ProcessResult r = testing::RunProcess(
      Cat(testing::Chromium(), " --headless --no-sandbox --disable-gpu --dump-dom file://", path, " 2>/dev/null"));
  REQUIRE(r.exit_code == 0);
  return r.out;
}

std::string Between(const std::string& text, std::string_view from, std::string_view to) {
  const size_t a = text.find(from);
  if (a == std::string::npos) return "";
  const size_t b = text.find(to, a + from.size());
  return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

TEST_CASE("Page: the violation is featured even after an undecided partition", "[report][page]") {
  // Key "a": 12 concurrent writes then an impossible read, too much search
  // for a 1-byte memory budget (undecided; later reads of every value keep
  // the writes from being silent, sim/check/wgl.h). Key "b": a stale read,
  // decided in a few steps (a violation). "a" sorts first.
  std::string h;
  for (int p = 0; p < 12; ++p) Append(&h, "{:process ", p, " :type :invoke :f :write :key \"a\" :value ", p, "}\n");
  for (int p = 0; p < 12; ++p) Append(&h, "{:process ", p, " :type :ok :f :write :key \"a\" :value ", p, "}\n");
  h += "{:process 20 :type :invoke :f :read :key \"a\"}\n{:process 20 :type :ok :f :read :key \"a\" :value 99}\n"
       "{:process 21 :type :invoke :f :write :key \"b\" :value 1}\n{:process 21 :type :ok :f :write :key \"b\" :value 1}\n"
       "{:process 22 :type :invoke :f :read :key \"b\"}\n{:process 22 :type :ok :f :read :key \"b\" :value 0}\n";
  for (int p = 0; p < 12; ++p) {
    Append(&h, "{:process 19 :type :invoke :f :read :key \"a\"}\n{:process 19 :type :ok :f :read :key \"a\" :value ", p, "}\n");
  }
  Result<History> history = ReadHistory(h, "h.edn");
  REQUIRE(history.ok());
  Result<std::vector<Operation>> ops = PairOperations(*history);
  REQUIRE(ops.ok());
  CheckBudget budget;
  budget.memory_bytes = 1;
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("kv"), {}, budget);
  REQUIRE(r.ok());
  REQUIRE(r->partitions.size() == 2);
  REQUIRE(r->partitions[0].verdict == Verdict::kUnknown);
  REQUIRE(r->partitions[1].verdict == Verdict::kViolation);

  const std::string dom =
      Rendered(RenderCheckReport(CheckReportInput{"h.edn", "kv", &*history, &*ops, &*r}), "featured.html");
  const std::string evidence = Between(dom, "<div id=\"evidence\">", "<div class=\"controls\">");
  INFO(evidence);
  // The full evidence box comes first and is b's; a's is one line after it.
  const size_t b = evidence.find("Not linearizable: \"b\"");
  const size_t a = evidence.find("Undecided: \"a\"");
  REQUIRE(b != std::string::npos);
  REQUIRE(a != std::string::npos);
  CHECK(b < a);
  CHECK(evidence.find("The longest linearizable prefix found has 1 of 2 operations") != std::string::npos);
  CHECK(evidence.find("op 28 (process 22): read") != std::string::npos);
  CHECK(evidence.find("memory budget ran out") != std::string::npos);
  // The page opened on b: its table row is marked, its offender drawn red,
  // its prefix drawn as a path; a's operations are dimmed.
  CHECK(dom.find("class=\"pick on\" id=\"row1\"") != std::string::npos);
  CHECK(dom.find("class=\"op s2\" data-part=\"1\"") != std::string::npos);
  CHECK(dom.find("class=\"path bad\"") != std::string::npos);
  CHECK(dom.find("class=\"op s5 dim\" data-part=\"0\"") != std::string::npos);
}

TEST_CASE("Page: an ok history draws its linearization through every lane", "[report][page]") {
  Result<History> history = ReadHistory(
      "{:process 0 :type :invoke :f :write :value 1}\n{:process 1 :type :invoke :f :read}\n"
      "{:process 1 :type :ok :f :read :value 1}\n{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 2 :type :invoke :f :write :value 2}\n{:process 2 :type :info :f :write}\n"
      "{:process 3 :type :invoke :f :read}\n{:process 3 :type :ok :f :read :value 2}\n",
      "ok.edn");
  REQUIRE(history.ok());
  Result<std::vector<Operation>> ops = PairOperations(*history);
  REQUIRE(ops.ok());
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("register"), {}, {});
  REQUIRE(r.ok());
  REQUIRE(r->verdict == Verdict::kOk);
  const std::string dom =
      Rendered(RenderCheckReport(CheckReportInput{"ok.edn", "register", &*history, &*ops, &*r}), "ok.html");
  CHECK(dom.find("class=\"badge v-ok\"") != std::string::npos);
  CHECK(dom.find("<div id=\"evidence\"></div>") != std::string::npos);  // nothing to explain
  for (int p = 0; p < 4; ++p) CHECK(dom.find(Cat(">process ", p, "<")) != std::string::npos);
  CHECK(Between(dom, "<div id=\"windows\">", "<h2>").find("class=\"path\"") != std::string::npos);
  // Four points, numbered in order; the info write (#3) after its own
  // completion is fine, the path still runs forward.
  for (int k = 1; k <= 4; ++k) CHECK(dom.find(Cat(">#", k, "<")) != std::string::npos);
}

}  // namespace
}  // namespace faultline
