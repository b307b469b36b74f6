// The matching service's data, score and invariants (models/matching),
// each over hand-built histories where the right verdict is known.
#include <catch2/catch.hpp>

#include "models/matching/catalog.h"
#include "models/matching/checks.h"
#include "models/matching/profile.h"
#include "models/matching/score.h"
#include "models/matching/stores.h"
#include "sim/history/recorder.h"
#include "sim/workload/token.h"
#include "tests/unit/testing.h"

namespace faultline::matching {
namespace {

constexpr int64_t kMs = 1000000;

Profile Sample() {
  Profile p;
  p.skills = {{"go", 3}, {"sql", 2}};
  p.experience = 5;
  p.timezone = -5;
  p.available = 30;
  p.stars = 12;
  p.ratings = 4;
  p.revs = {"o1.1", "u3.7"};
  return p;
}

TEST_CASE("a profile and a project survive their text form") {
  const Profile p = Sample();
  CHECK(ProfileText(p) == "skills=go:3,sql:2;exp=5;tz=-5;avail=30;stars=12;ratings=4;revs=o1.1,u3.7");
  Result<Profile> back = ParseProfile(ProfileText(p));
  REQUIRE(back.ok());
  CHECK(*back == p);
  Project q{"c1-4.2", {{"go", 3}, {"ml", 2}}, 3, 8, 20, 1, 3, "dev4", "dev9"};
  Result<Project> q2 = ParseProject(ProjectText(q));
  REQUIRE(q2.ok());
  CHECK(*q2 == q);
}

TEST_CASE("malformed profile and project texts are refused, naming the field") {
  Result<Profile> p = ParseProfile("skills=go:x;exp=5;tz=0;avail=1;stars=0;ratings=0;revs=");
  REQUIRE_FALSE(p.ok());
  CHECK_THAT(p.status().message(), Catch::Contains("skills"));
  p = ParseProfile("skills=;exp=five;tz=0;avail=1;stars=0;ratings=0;revs=");
  REQUIRE_FALSE(p.ok());
  CHECK_THAT(p.status().message(), Catch::Contains("exp"));
  CHECK_FALSE(ParseProfile("skills=").ok());
  CHECK_FALSE(ParseProject("id=x;needs=;exp=3;hours=1;tz=0;gap=1;prefer=;exclude=").ok());
}

TEST_CASE("the crdt form: one set update per change, concurrent field values resolved by the greatest") {
  ProfileChange c;
  c.kind = ProfileChange::kSkill;
  c.skill = "go";
  c.amount = 4;
  c.rev = "u1.1";
  SetUpdate u = ToSetUpdate(c);
  CHECK(u.remove_prefixes == std::vector<std::string>{"skill=go:"});
  CHECK(u.adds == std::vector<std::string>{"skill=go:4", "rev=u1.1"});
  // Two replicas changed experience concurrently: both values survive the merge.
  Profile p = FromElements({"exp=4", "exp=7", "rev=a", "rev=b", "skill=go:2", "skill=go:4", "tz=1", "avail=20"}, 9, 2);
  CHECK(p.experience == 7);
  CHECK(p.skills.at("go") == 4);
  CHECK(p.revs.size() == 2);
  CHECK(p.stars == 9);
}

TEST_CASE("the score: each part by its documented rule, and the total their sum") {
  Project q{"p", {{"go", 3}, {"sql", 3}}, 3, 4, 20, 0, 5, "dev1", ""};
  const ScoreParts s = Score(q, "dev1", Sample());
  // go met (2 half-shares), sql one short (1): 400 * 3 / 4.
  CHECK(s.parts[0] == 300);
  CHECK(s.parts[1] == 150);             // 5 years, band 3-4: one year out
  CHECK(s.parts[2] == 150);             // 30 h offered for 20 h: capped
  CHECK(s.parts[3] == 150 * 12 / 20);   // 12 stars of 4 ratings
  CHECK(s.parts[4] == 100);             // within 5 h of UTC, and preferred
  CHECK(s.Total() == 300 + 150 + 150 + 90 + 100);
  CHECK(Score(q, "dev2", Sample()).parts[4] == 50);
}

TEST_CASE("the registry's decisions: grant what fits, refuse what does not, and a retry of our own is granted") {
  auto assign = AssignDecision("p3", 20, 40);
  Rmw::Decision d = assign(std::string("p1:10,p2:10"));
  CHECK(d.kind == Rmw::Decision::kWrite);
  CHECK(d.value == "p1:10,p2:10,p3:20");
  CHECK(assign(std::string("p1:30")).result == Value::Keyword("taken"));
  CHECK(assign(std::string("p3:20,p9:20")).kind == Rmw::Decision::kNoWrite);
  CHECK(assign(std::string("p3:20,p9:20")).result == Value::Keyword("granted"));
  CHECK(assign(std::nullopt).value == "p3:20");
  CHECK(ReleaseDecision("p1")(std::string("p1:10,p2:10")).value == "p2:10");
  CHECK(ReleaseDecision("p7")(std::string("p1:10")).kind == Rmw::Decision::kNoWrite);
}

// A history builder: operations with explicit virtual times (ms).
struct Builder {
  HistoryRecorder rec;
  void Op(int64_t process, std::string f, std::string key, Value in, int64_t from_ms, int64_t to_ms, Value out,
          OpType type = OpType::kOk) {
    rec.Invoke(process, f, key, in, from_ms * kMs);
    rec.Complete(process, type, out, to_ms * kMs);
  }
  std::vector<Operation> Ops() const {
    Result<std::vector<Operation>> ops = PairOperations(rec.history());
    REQUIRE(ops.ok());
    return *ops;
  }
};

Value AssignIn(const char* project, int hours) {
  return Value::List({Value::String(project), Value::Int(hours), Value::Int(30)});
}

TEST_CASE("no_double_booking: two grants held at once beyond capacity are found, sequential ones are not") {
  Builder b;
  b.Op(1, "assign", "dev1", AssignIn("p1", 20), 0, 10, Value::Keyword("granted"));
  b.Op(2, "assign", "dev1", AssignIn("p2", 20), 5, 20, Value::Keyword("granted"));
  Findings f = CheckNoDoubleBooking(b.rec.history(), b.Ops());
  CHECK(f.verdict == Verdict::kViolation);
  REQUIRE(f.found.size() == 1);
  CHECK_THAT(f.found[0].why, Catch::Contains("dev1 booked 40 h of 30"));
  CHECK(f.found[0].time_ns == 20 * kMs);
  Result<Findings> lin = CheckRegistryLinearizable(b.Ops(), CheckBudget{});
  REQUIRE(lin.ok());
  CHECK(lin->verdict == Verdict::kViolation);

  Builder ok;
  ok.Op(1, "assign", "dev1", AssignIn("p1", 20), 0, 10, Value::Keyword("granted"));
  ok.Op(1, "release", "dev1", Value::String("p1"), 12, 15, Value::String("p1"));
  ok.Op(2, "assign", "dev1", AssignIn("p2", 20), 16, 20, Value::Keyword("granted"));
  ok.Op(3, "assign", "dev1", AssignIn("p3", 20), 21, 25, Value::Keyword("taken"));
  CHECK(CheckNoDoubleBooking(ok.rec.history(), ok.Ops()).verdict == Verdict::kOk);
  lin = CheckRegistryLinearizable(ok.Ops(), CheckBudget{});
  REQUIRE(lin.ok());
  CHECK(lin->verdict == Verdict::kOk);
}

TEST_CASE("linearizable registry: a 'taken' while the developer was free is not linearizable") {
  Builder b;
  b.Op(1, "assign", "dev2", AssignIn("p1", 10), 0, 10, Value::Keyword("taken"));
  Result<Findings> lin = CheckRegistryLinearizable(b.Ops(), CheckBudget{});
  REQUIRE(lin.ok());
  CHECK(lin->verdict == Verdict::kViolation);
  CHECK(CheckNoDoubleBooking(b.rec.history(), b.Ops()).verdict == Verdict::kOk);
}

Value Candidate(const char* dev, const Profile& p, const Project& q, int64_t bonus = 0) {
  const ScoreParts s = Score(q, dev, p);
  std::vector<Value> parts;
  for (int64_t x : s.parts) parts.push_back(Value::Int(x));
  return Value::List({Value::String(dev), Value::Int(s.Total() + bonus), Value::List(parts),
                      Value::String(ProfileText(p)), Value::Int(40)});
}

TEST_CASE("match_staleness and no_lost_profile_updates: a copy without an old acknowledged change") {
  const Project q{"p", {{"go", 2}}, 0, 9, 10, 0, 9, "", ""};
  Profile old = Sample();
  Builder b;
  b.Op(1, "profile", "dev1", Value::List({Value::String("u9.1"), Value::String("avail 10")}), 100, 110, Value());
  b.Op(2, "match", "p", Value::String(ProjectText(q)), 2000, 2005, Value::List({Candidate("dev1", old, q)}));
  Findings f = CheckMatchStaleness(b.rec.history(), b.Ops(), 1000 * kMs);
  CHECK(f.verdict == Verdict::kViolation);
  REQUIRE(f.found.size() == 1);
  CHECK_THAT(f.found[0].why, Catch::Contains("without u9.1"));
  CHECK(CheckMatchStaleness(b.rec.history(), b.Ops(), 3000 * kMs).verdict == Verdict::kOk);

  absl::btree_map<std::string, std::string> final = {{"dev1", ProfileText(old)}};
  CHECK(CheckNoLostProfileUpdates(b.rec.history(), b.Ops(), final).verdict == Verdict::kViolation);
  old.revs.insert("u9.1");
  final["dev1"] = ProfileText(old);
  CHECK(CheckNoLostProfileUpdates(b.rec.history(), b.Ops(), final).verdict == Verdict::kOk);
}

TEST_CASE("scores_explained: a score its parts do not sum to is found") {
  const Project q{"p", {{"go", 2}}, 0, 9, 10, 0, 9, "dev1", ""};
  Builder b;
  b.Op(2, "match", "p", Value::String(ProjectText(q)), 0, 5, Value::List({Candidate("dev1", Sample(), q)}));
  CHECK(CheckScoresExplained(b.rec.history(), b.Ops()).verdict == Verdict::kOk);
  Builder bad;
  bad.Op(2, "match", "p", Value::String(ProjectText(q)), 0, 5, Value::List({Candidate("dev1", Sample(), q, 25)}));
  Findings f = CheckScoresExplained(bad.rec.history(), bad.Ops());
  CHECK(f.verdict == Verdict::kViolation);
  REQUIRE(f.found.size() == 1);
  CHECK_THAT(f.found[0].why, Catch::Contains("parts sum to"));
}

TEST_CASE("the catalog is the same for every run and draws popular developers more often") {
  Catalog a(24), b(24);
  REQUIRE(a.developers().size() == 24);
  CHECK(ProfileText(a.developers()[5].initial) == ProfileText(b.developers()[5].initial));
  CHECK(a.Capacity("dev3") == b.Capacity("dev3"));
  CHECK(ProfileKey("dev12") == "dev/12");
  CHECK(DeveloperOfKey("dev/12.stars") == "dev12");
  CHECK(DeveloperOfKey("book/3") == "dev3");
  Rng rng(7);
  int first = 0;
  for (int i = 0; i < 1000; ++i) first += a.DrawDeveloper(rng).name == "dev0" ? 1 : 0;
  CHECK(first > 100);  // zipf over 24: about 26%
}

TEST_CASE("a crdt rating retried on another replica sends only the increment that had not landed") {
  // r1 acknowledges the stars increment, then turns the ratings one away
  // (NOT_HERE: certainly not applied); the retry goes to r2. Each replica
  // remembers only its own tokens, so r2 would count the stars twice if
  // the retry sent them again.
  using namespace faultline::literals;
  testing::Harness h;
  struct Seen {
    std::string replica, key;
    uint64_t token;
  };
  std::vector<Seen> seen;
  for (const char* name : {"r1", "r2"}) {
    h.cluster.AddNode(name, [&seen, name](Env& env) {
      return std::make_unique<testing::LambdaService>(env, [&seen, name](Env& e) {
        e.Handle<kit::KvRequest, kit::KvResponse>("kv", [&seen, name](NodeId, const kit::KvRequest& r) {
          seen.push_back({name, r.key(), r.token()});
          kit::KvResponse out;
          const bool refuse = std::string_view(name) == "r1" && r.key().ends_with(".ratings");
          out.set_code(refuse ? kit::KvResponse::NOT_HERE : kit::KvResponse::OK);
          return out;
        });
      });
    });
  }
  std::vector<Attempt> attempts;
  std::array<bool, 2> landed{};
  const uint64_t token = MakeToken(7, 1);
  h.cluster.AddNode("c1", [&](Env& env) {
    return std::make_unique<testing::LambdaService>(env, [&](Env& e) {
      kit::KitConfig config;
      config.replicas = 2;
      kit::KvCaller caller(e, config, 0, 100_ms);
      attempts.push_back(CrdtRating(caller, "dev3", 4, token, 1_s, &landed));  // as the client's retry loop does
      attempts.push_back(CrdtRating(caller, "dev3", 4, token, 1_s, &landed));
    });
  });
  h.cluster.StartAll();
  h.RunFor(1_s);
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].kind == Attempt::kUnknown);  // half done: the stars landed
  CHECK(attempts[1].kind == Attempt::kOk);
  CHECK(landed == std::array<bool, 2>{true, true});
  REQUIRE(seen.size() == 3);
  CHECK((seen[0].replica == "r1" && seen[0].key == "dev/3.stars" && seen[0].token == SubToken(token, 0)));
  CHECK((seen[1].replica == "r1" && seen[1].key == "dev/3.ratings"));
  CHECK((seen[2].replica == "r2" && seen[2].key == "dev/3.ratings" && seen[2].token == SubToken(token, 1)));
}

}  // namespace
}  // namespace faultline::matching
