#include <catch2/catch.hpp>

#include "models/kit/lww.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"

namespace faultline::kit {
namespace {

TEST_CASE("LWW: the greatest timestamp wins, deletes too, whatever the arrival order", "[kit][lww]") {
  LwwMap m;
  CHECK(m.Apply("k", "old", Timestamp{10, 0, 1}));
  CHECK(m.Apply("k", std::nullopt, Timestamp{20, 0, 2}));  // delete
  CHECK_FALSE(m.Apply("k", "older", Timestamp{15, 0, 3}));  // arrives late, loses to the tombstone
  CHECK(m.Get("k") == std::nullopt);
  CHECK(m.Entry("k")->ts == Timestamp{20, 0, 2});
  CHECK(m.Apply("k", "new", Timestamp{20, 0, 3}));  // same time: the node breaks the tie
  CHECK(m.Get("k") == std::optional<std::string>("new"));
}

TEST_CASE("LWW: merges converge in any order, without the tiebreak they need not", "[kit][lww][property]") {
  Rng rng(31);
  int diverged = 0;
  for (int round = 0; round < 300; ++round) {
    // Writes with coarse timestamps (many ties), delivered to two replicas
    // in different orders.
    std::vector<std::tuple<std::string, std::optional<std::string>, Timestamp>> writes;
    for (int i = 0; i < 12; ++i) {
      writes.emplace_back(Cat("k", rng.Uniform(3)), rng.Chance(1, 5) ? std::nullopt : std::optional(Cat("v", i)),
                          Timestamp{static_cast<int64_t>(rng.Uniform(4)), static_cast<uint32_t>(rng.Uniform(2)),
                                    static_cast<uint32_t>(i)});  // one writer per write: no two equal stamps
    }
    for (bool tiebreak : {true, false}) {
      LwwMap a(tiebreak), b(tiebreak), c(tiebreak);
      for (const auto& [k, v, ts] : writes) a.Apply(k, v, ts);
      for (size_t i = writes.size(); i-- > 0;) {
        const auto& [k, v, ts] = writes[i];
        b.Apply(k, v, ts);
      }
      // c gets half the writes and then merges the others' states.
      for (size_t i = 0; i < writes.size(); i += 2) {
        const auto& [k, v, ts] = writes[i];
        c.Apply(k, v, ts);
      }
      LwwMap ab = a, ba = b, cab = c;
      ab.Merge(b);
      ba.Merge(a);
      cab.Merge(a);
      cab.Merge(b);
      if (tiebreak) {
        REQUIRE(a == b);  // order of arrival does not matter
        REQUIRE(ab == ba);
        REQUIRE(cab == a);
        LwwMap aa = a;
        aa.Merge(a);
        REQUIRE(aa == a);
      } else {
        diverged += !(a == b);
      }
    }
  }
  CHECK(diverged > 50);  // the planted bug shows up, and often
}

}  // namespace
}  // namespace faultline::kit
