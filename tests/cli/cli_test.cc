// The faultline executable's contract: exit codes and error messages.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/process.h"

namespace faultline {
namespace {

testing::ProcessResult Faultline(const std::string& args) {
  return testing::RunProcess(std::string(FAULTLINE_BINARY) + " " + args + " 2>&1");
}

TEST_CASE("demo prints seed, trace hash, faults and how to replay", "[cli]") {
  testing::ProcessResult r = Faultline("demo --seed 3");
  REQUIRE(r.exit_code == 0);
  for (const char* want : {"seed         3", "trace hash   0x", "unseed       0x",
                           "faults applied (7)", "partition", "crash", "restart", "heal",
                           "replay       faultline demo --seed 3"}) {
    INFO(want);
    CHECK(r.out.find(want) != std::string::npos);
  }
}

TEST_CASE("The replay line printed by demo reproduces the run", "[cli][determinism]") {
  testing::ProcessResult r = Faultline("demo --seed 9 --nemesis on");
  REQUIRE(r.exit_code == 0);
  size_t at = r.out.find("replay       faultline ");
  REQUIRE(at != std::string::npos);
  std::string line = r.out.substr(at + 23, r.out.find('\n', at) - at - 23);
  testing::ProcessResult replay = Faultline(line);
  CHECK(replay.exit_code == 0);
}

TEST_CASE("Bad flags exit 2 and say what was expected", "[cli][bad-input]") {
  struct Case {
    const char* args;
    const char* message;
  };
  for (const Case& c : {Case{"demo --seed abc", "--seed: expected a non-negative integer"},
                        Case{"demo --duration 5", "invalid duration \"5\": missing unit"},
                        Case{"demo --duration 3x", "unknown unit \"x\""},
                        Case{"demo --nodes 1", "--nodes: expected 2..1000"},
                        Case{"demo --nemesis maybe", "expected on or off"},
                        Case{"demo --frobnicate 1", "unknown flag --frobnicate"},
                        Case{"demo --seed", "flag --seed needs a value"},
                        Case{"demo extra", "unexpected argument \"extra\""},
                        Case{"explode", "unknown command 'explode'"},
                        Case{"", "usage: faultline"}}) {
    INFO(c.args);
    testing::ProcessResult r = Faultline(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
  }
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = std::string(FAULTLINE_TMP_DIR) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST_CASE("check: exit codes 0 ok, 1 violation, 2 bad input, 5 unknown", "[cli][check]") {
  const std::string ok = WriteTemp("ok.edn",
      "{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value 1}\n");
  const std::string bad = WriteTemp("bad.edn",
      "{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value 2}\n");
  testing::ProcessResult r = Faultline("check " + ok + " --model register");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("verdict      ok") != std::string::npos);
  r = Faultline("check " + bad + " --model register");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("VIOLATION") != std::string::npos);
  CHECK(r.out.find("op 2 (process 1): read -> ok 2") != std::string::npos);
  r = Faultline("check " + bad + " --model register --json");
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("{\"history\":", 0) == 0);
  CHECK(r.out.find("\"verdict\":\"violation\"") != std::string::npos);
  CHECK(r.out.find("\"stuck\":[2]") != std::string::npos);

  std::string many;
  for (int p = 0; p < 24; ++p) many += "{:process " + std::to_string(p) + " :type :invoke :f :write :value " + std::to_string(p) + "}\n";
  for (int p = 0; p < 24; ++p) many += "{:process " + std::to_string(p) + " :type :info :f :write}\n";
  many += "{:process 99 :type :invoke :f :read}\n{:process 99 :type :ok :f :read :value 1000}\n";
  for (int p = 0; p < 24; ++p) {
    many += "{:process " + std::to_string(100 + p) + " :type :invoke :f :read}\n{:process " +
            std::to_string(100 + p) + " :type :ok :f :read :value " + std::to_string(p) + "}\n";
  }
  r = Faultline("check " + WriteTemp("hard.edn", many) + " --model register --memory 8");
  CHECK(r.exit_code == 5);
  CHECK(r.out.find("unknown (memory budget)") != std::string::npos);
}

TEST_CASE("check: bad input names the file and line, exit 2", "[cli][check][bad-input]") {
  const std::string broken = WriteTemp("broken.edn",
      "{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value [1 2}\n");
  const std::string twice = WriteTemp("twice.edn",
      "{:process 0 :type :invoke :f :read}\n{:process 0 :type :invoke :f :read}\n");
  struct Case {
    std::string args;
    std::string message;
  };
  for (const Case& c : {Case{"check " + broken + " --model register", "broken.edn:2:43: expected ']' to close the vector opened at 2:39, found '}'"},
                        Case{"check " + twice + " --model register", "twice.edn:2: process 0 invokes again"},
                        Case{"check " + twice + " --model regster", "unknown model 'regster'"},
                        Case{"check " + twice, "--model is required"},
                        Case{"check /nonexistent.edn --model register", "cannot open the history file"},
                        Case{"check " + twice + " --model register --format xml", "unknown history format 'xml'"},
                        Case{"check " + twice + " --model register --timeout 5", "missing unit"},
                        Case{"check " + twice + " --model register --init [1]", "--init: expected nil"}}) {
    INFO(c.args);
    testing::ProcessResult r = Faultline(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
  }
}

TEST_CASE("check --html writes the report whole, or not at all", "[cli][check][html]") {
  const std::string bad = WriteTemp("stale.edn",
      "{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value 0}\n");
  const std::string page = std::string(FAULTLINE_TMP_DIR) + "/stale.html";
  std::filesystem::remove(page);
  testing::ProcessResult r = Faultline("check " + bad + " --model register --html " + page);
  CHECK(r.exit_code == 1);  // the verdict's exit code, report or not
  std::ifstream in(page);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str().find("\"verdict\":\"violation\"") != std::string::npos);
  CHECK(text.str().find("</html>") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(page + ".tmp"));

  // Bad input or a bad --html: exit 2 and no file.
  const std::string none = std::string(FAULTLINE_TMP_DIR) + "/none.html";
  std::filesystem::remove(none);
  const std::string broken = WriteTemp("broken2.edn", "{:process 0 :type :invoke :f :read\n");
  r = Faultline("check " + broken + " --model register --html " + none);
  CHECK(r.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(none));
  r = Faultline("check " + bad + " --model register --html=");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--html: expected a file name") != std::string::npos);
  r = Faultline("check " + bad + " --model register --html /nonexistent-dir/x.html");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("/nonexistent-dir/x.html: cannot write the report") != std::string::npos);
}

}  // namespace
}  // namespace faultline
