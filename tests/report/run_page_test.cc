// report.html and trace.json of a run (sim/report): the page's script, run
// by headless Chromium over a real failing run, draws every operation,
// outlines the evidence, shades and lists the faults and shows the node
// logs; trace.json reads back as a Chrome trace with a flow per message.
// Without chromium the page test is skipped (exit 77), as page_test's.
#include <catch2/catch.hpp>

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sim/cli/models.h"
#include "sim/core/strings.h"
#include "sim/report/run_report.h"
#include "sim/report/trace_json.h"
#include "sim/scenario/api.h"
#include "tests/process.h"
#include "tests/report/browser.h"
#include "tests/report/trace_schema.pb.h"

namespace faultline::report {
namespace {

scenario::RunResult LeaseSkew() {
  Result<scenario::ScenarioSpec> spec =
      scenario::LoadScenario(std::string(FAULTLINE_SOURCE_DIR) + "/scenarios/kit/lease-skew.lua", cli::Models(), {});
  REQUIRE(spec.ok());
  Result<scenario::RunResult> run = scenario::RunScenario(*spec, cli::Models(), scenario::RunOptions{1, false});
  REQUIRE(run.ok());
  REQUIRE(run->exit_code == 1);
  return std::move(*run);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("trace.json: a Chrome trace with a flow per delivered message and the faults as slices", "[report][trace]") {
  const scenario::RunResult run = LeaseSkew();
  ChromeTrace t;
  REQUIRE(google::protobuf::util::JsonStringToMessage(TraceJson(run), &t).ok());
  size_t starts = 0, finishes = 0, faults = 0, ops = 0;
  for (const TraceEvent& e : t.traceevents()) {
    starts += e.ph() == "s";
    finishes += e.ph() == "f";
    faults += e.ph() == "X" && e.cat() == "fault";
    ops += e.ph() == "X" && (e.cat() == "ok" || e.cat() == "fail" || e.cat() == "info");
  }
  CHECK(starts == run.messages.size());
  CHECK(finishes == run.net.delivered);
  CHECK(faults == 2);  // the skew and the partition of split_brain
  CHECK(ops == run.ok + run.fail + run.info);
}

TEST_CASE("report.html: the script draws the run, the evidence and the faults", "[report][page]") {
  const scenario::RunResult run = LeaseSkew();
  const std::string path = std::string(FAULTLINE_TMP_DIR) + "/run-report.html";
  std::ofstream(path, std::ios::binary) << RenderRunReport(run, RunDirInfo{12.5, "faultline replay runs/x"});
  testing::ProcessResult r = testing::RunProcess(
      Cat(testing::Chromium(), " --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 --dump-dom file://", path, " 2>&1"));
  REQUIRE(r.exit_code == 0);
  INFO(r.out.substr(0, 2000));
  CHECK(r.out.find("Uncaught") == std::string::npos);  // the script ran to the end
  const size_t ops = run.ok + run.fail + run.info;
  CHECK(r.out.find(Cat(ops, " of ", ops, " operations shown")) != std::string::npos);
  CHECK(Count(r.out, "stroke=\"#c93636\"") >= 2);  // the evidence, outlined
  CHECK(r.out.find("expected to fail") != std::string::npos);
  CHECK(r.out.find("groups [r3,c1,c2,c3] | [r1,r2,c1,c2,c3]") != std::string::npos);  // the faults table
  CHECK(r.out.find("lease.acquired") != std::string::npos);  // the node logs
  CHECK(r.out.find("faultline replay runs/x") != std::string::npos);
}

}  // namespace
}  // namespace faultline::report
