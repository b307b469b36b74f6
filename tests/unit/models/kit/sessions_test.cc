#include <catch2/catch.hpp>

#include "models/kit/sessions.h"

#include <vector>

namespace faultline::kit {
namespace {

using Table = SessionTable<int>;
using Seen = Table::Seen;

std::vector<std::pair<uint32_t, uint32_t>> Floors(const Table& t) {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  t.ForEachFloor([&out](uint32_t s, uint32_t op) { out.emplace_back(s, op); });
  return out;
}

TEST_CASE("SessionTable: a session's requests of its latest operation are answered, in any order", "[kit][sessions]") {
  Table t;
  const uint64_t op = MakeToken(7, 3);
  for (uint64_t n : {2, 0, 1}) {
    auto c = t.Claim(SubToken(op, n));
    REQUIRE(c.seen == Seen::kNew);
    *c.answer = static_cast<int>(n) + 10;
  }
  CHECK(t.Find(op).seen == Seen::kNew);  // the operation's own request is another one
  for (uint64_t n : {0, 1, 2}) {
    auto f = t.Find(SubToken(op, n));
    REQUIRE(f.seen == Seen::kAnswered);
    CHECK(*f.answer == static_cast<int>(n) + 10);
    CHECK(t.Claim(SubToken(op, n)).seen == Seen::kAnswered);  // a retry is not applied again
  }
  CHECK(t.answers() == 3);
}

TEST_CASE("SessionTable: a later operation makes every earlier one of its session stale, and only its session's", "[kit][sessions]") {
  Table t;
  *t.Claim(MakeToken(1, 5)).answer = 1;
  *t.Claim(MakeToken(1, 6, 1)).answer = 2;  // a sub-request of operation 6
  *t.Claim(MakeToken(2, 9)).answer = 3;
  CHECK(t.Find(MakeToken(1, 5)).seen == Seen::kStale);
  CHECK(t.Claim(MakeToken(1, 5)).seen == Seen::kStale);
  CHECK(t.Claim(MakeToken(1, 5)).answer == nullptr);
  CHECK(t.Find(MakeToken(1, 6, 1)).seen == Seen::kAnswered);
  CHECK(t.Find(MakeToken(2, 9)).seen == Seen::kAnswered);  // another session: untouched
  CHECK(t.Find(MakeToken(2, 8)).seen == Seen::kStale);
  CHECK(t.Find(MakeToken(3, 1)).seen == Seen::kNew);  // a session never seen
  CHECK(t.answers() == 2);
  CHECK(t.sessions() == 2);
  CHECK(Floors(t) == std::vector<std::pair<uint32_t, uint32_t>>{{1, 6}, {2, 9}});
}

TEST_CASE("SessionTable: the table holds one operation per session however many ran", "[kit][sessions]") {
  Table t;
  for (uint32_t op = 1; op <= 10'000; ++op) {
    for (uint32_t s = 0; s < 4; ++s) {
      auto c = t.Claim(MakeToken(s, op));
      REQUIRE(c.seen == Seen::kNew);
      *c.answer = static_cast<int>(op);
    }
  }
  CHECK(t.answers() == 4);
  CHECK(t.sessions() == 4);
}

TEST_CASE("SessionTable: a floor outlives the answers a replica forgets, and never falls", "[kit][sessions]") {
  Table t;
  *t.Claim(MakeToken(4, 2)).answer = 1;
  t.EraseIf([](uint64_t, int) { return true; });  // the state lost the write this answered
  CHECK(t.Find(MakeToken(4, 2)).seen == Seen::kNew);    // a retry of it is applied again
  CHECK(t.Find(MakeToken(4, 1)).seen == Seen::kStale);  // an earlier operation is still stale
  *t.Claim(MakeToken(4, 3)).answer = 2;
  t.ClearAnswers();
  CHECK(t.answers() == 0);
  CHECK(t.Find(MakeToken(4, 2)).seen == Seen::kStale);
  CHECK_FALSE(t.RaiseFloor(4, 2));
  CHECK(t.RaiseFloor(4, 3));
  CHECK(Floors(t) == std::vector<std::pair<uint32_t, uint32_t>>{{4, 3}});
  t.Clear();
  CHECK(t.Find(MakeToken(4, 1)).seen == Seen::kNew);
}

TEST_CASE("SessionTable: token layout round-trips session, operation and sub-request", "[kit][sessions]") {
  const uint64_t t = MakeToken(0xfffffffe, kTokenOps - 1);
  CHECK(TokenSession(t) == 0xfffffffe);
  CHECK(TokenOp(t) == kTokenOps - 1);
  CHECK(TokenOp(SubToken(t, 254)) == kTokenOps - 1);
  CHECK(SubToken(t, 0) != t);
  CHECK(SubToken(t, 0) != SubToken(t, 1));
  CHECK(MakeToken(0, 1) != 0);  // the first operation of process 0 has a token
}

}  // namespace
}  // namespace faultline::kit
