#include <catch2/catch.hpp>

#include "models/kit/record_log.h"
#include "tests/unit/testing.h"

namespace faultline::kit {
namespace {

using namespace literals;

// On each boot: recover, note what came back, then append `plan` records
// of this boot (synced or not) one per 10 ms.
struct Logger final : Service {
  Logger(Env& env, int boot, std::vector<std::vector<std::string>>* seen, std::vector<std::pair<std::string, bool>> plan)
      : env(env), log(env.disk(), "t.log") {
    Result<std::vector<std::string>> r = log.Recover();
    if (!r.ok()) return;
    seen->push_back(*r);
    env.Spawn("write", [this, plan, boot] {
      for (const auto& [record, sync] : plan) {
        if (!this->env.Sleep(10_ms).ok()) return;
        if (!log.Append(Cat(boot, ":", record), sync).ok()) return;
      }
    });
  }
  Env& env;
  RecordLog log;
};

TEST_CASE("RecordLog: torn crashes never cost a synced record, even one written after a torn tail", "[kit][log]") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    testing::Harness h(seed);
    std::vector<std::vector<std::string>> seen;
    int boots = 0;
    NodeId n = h.cluster.AddNode("r1", [&](Env& env) {
      ++boots;
      // First life: a synced record, then unsynced ones (torn by the crash).
      // Second life: one synced record after whatever the tear left.
      std::vector<std::pair<std::string, bool>> plan =
          boots == 1 ? std::vector<std::pair<std::string, bool>>{{"a", true}, {"b", false}, {"c", false}}
                     : std::vector<std::pair<std::string, bool>>{{"d", true}};
      return std::make_unique<Logger>(env, boots, &seen, plan);
    });
    h.cluster.StartAll();
    h.At(100_ms, [&] { REQUIRE(h.world.faults().Crash(n, CrashDisk::kTorn).ok()); });
    h.At(200_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
    h.At(300_ms, [&] { REQUIRE(h.world.faults().Crash(n, CrashDisk::kTorn).ok()); });
    h.At(400_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
    h.RunFor(1_s);
    INFO("seed " << seed);
    REQUIRE(seen.size() == 3);
    CHECK(seen[0].empty());
    REQUIRE(!seen[1].empty());
    CHECK(seen[1][0] == "1:a");  // synced: always there; b and c maybe, in order
    CHECK(seen[1].size() <= 3);
    // The third life sees the second life's synced record.
    REQUIRE(!seen[2].empty());
    CHECK(seen[2].back() == "2:d");
    CHECK(std::vector<std::string>(seen[2].begin(), seen[2].end() - 1) == seen[1]);
  }
}

}  // namespace
}  // namespace faultline::kit

namespace faultline::kit {
namespace {

TEST_CASE("RecordLog: a full disk at recovery keeps the records and refuses appends", "[kit][log]") {
  testing::Harness h(1);
  std::vector<std::vector<std::string>> seen;
  std::vector<Error> append_result;
  int boots = 0;
  NodeId n = h.cluster.AddNode("r1", [&](Env& env) {
    ++boots;
    struct S final : Service {
      S(Env& env, int boot, std::vector<std::vector<std::string>>* seen, std::vector<Error>* results)
          : log(env.disk(), "t.log") {
        Result<std::vector<std::string>> r = log.Recover();
        if (!r.ok()) return;
        seen->push_back(*r);
        results->push_back(log.Append(Cat("boot", boot), /*sync=*/true).code());
      }
      RecordLog log;
    };
    return std::make_unique<S>(env, boots, &seen, &append_result);
  });
  h.cluster.StartAll();
  h.At(100_ms, [&] { REQUIRE(h.world.faults().Crash(n).ok()); });
  h.At(150_ms, [&] { REQUIRE(h.world.faults().FullDisk(n, true).ok()); });
  h.At(200_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
  h.At(300_ms, [&] { REQUIRE(h.world.faults().Crash(n).ok()); });
  h.At(350_ms, [&] { REQUIRE(h.world.faults().FullDisk(n, false).ok()); });
  h.At(400_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
  h.RunFor(1_s);
  REQUIRE(seen.size() == 3);
  CHECK(seen[1] == std::vector<std::string>{"boot1"});  // the state survives a full disk...
  CHECK(append_result[1] == Error::kIoError);            // ...but nothing is appended behind it
  CHECK(seen[2] == std::vector<std::string>{"boot1"});   // and the next boot recovers normally
  CHECK(append_result[2] == Error::kOk);
}

}  // namespace
}  // namespace faultline::kit
