#include <catch2/catch.hpp>

#include <set>

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

namespace faultline::kit {
namespace {

TEST_CASE("RecordLog: a crash anywhere in a rewrite leaves the old log or the new one, whole", "[kit][log]") {
  // Life 1 appends a and b (synced), rewrites the log as R, appends c
  // (synced); life 2 appends d (synced). Each disk call takes 1 ms, and
  // the crash lands at every half millisecond around the rewrite.
  std::set<std::vector<std::string>> outcomes;
  for (int k = 0; k <= 40; ++k) {
    testing::Harness h(static_cast<uint64_t>(k) + 1);
    std::vector<std::vector<std::string>> seen;
    int boots = 0;
    NodeId n = h.cluster.AddNode("r1", [&](Env& env) {
      ++boots;
      struct S final : Service {
        S(Env& env, int boot, std::vector<std::vector<std::string>>* seen) : env(env), log(env.disk(), "t.log") {
          Result<std::vector<std::string>> r = log.Recover();
          if (!r.ok()) return;
          seen->push_back(*r);
          env.Spawn("write", [this, boot] {
            auto step = [this](auto op) { return this->env.Sleep(10_ms).ok() && op().ok(); };
            if (boot == 1) {
              (void)(step([&] { return log.Append("1:a", true); }) && step([&] { return log.Append("1:b", true); }) &&
                     step([&] { return log.Rewrite("R"); }) && step([&] { return log.Append("1:c", true); }));
            } else if (boot == 2) {
              (void)step([&] { return log.Append("2:d", true); });
            }
          });
        }
        Env& env;
        RecordLog log;
      };
      return std::make_unique<S>(env, boots, &seen);
    });
    h.world.disk(n).SetLatency(1_ms);
    h.cluster.StartAll();
    const Time crash = Time::Zero() + Duration::Micros(32000 + 500 * k);
    h.At(crash - Time::Zero(), [&] { REQUIRE(h.world.faults().Crash(n, CrashDisk::kTorn).ok()); });
    h.At(100_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
    h.At(200_ms, [&] { REQUIRE(h.world.faults().Crash(n, CrashDisk::kTorn).ok()); });
    h.At(300_ms, [&] { REQUIRE(h.world.faults().Restart(n).ok()); });
    h.RunFor(1_s);
    INFO("crash at " << crash.nanos() << " ns");
    REQUIRE(seen.size() == 3);
    const std::vector<std::string>& after = seen[1];
    const bool old_log = after == std::vector<std::string>{"1:a", "1:b"};
    const bool new_log = after == std::vector<std::string>{"R"} || after == std::vector<std::string>{"R", "1:c"};
    CHECK((old_log || new_log));
    outcomes.insert(after);
    // Appends after a recovery land behind what it found.
    std::vector<std::string> want = after;
    want.push_back("2:d");
    CHECK(seen[2] == want);
  }
  CHECK(outcomes.size() == 3);  // the crash times straddle the rewrite and the append after it
}

}  // namespace
}  // namespace faultline::kit
