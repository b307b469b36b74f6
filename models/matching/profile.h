// The matching service's data (design §8, docs/models/matching.md): a
// developer's profile, a client's project, and the canonical text each is
// stored and recorded as. The text is the contract between the services,
// the history and the checks: the profile store keeps it (lww), the
// matching engine records the text of every profile it scored, and the
// checks parse it back to recompute scores and find stale or lost data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "sim/core/status.h"

namespace faultline::matching {

// A developer's profile as the profile store holds it. Capacity is not
// here: the registry owns it (a fixed figure per developer, catalog.h).
struct Profile {
  absl::btree_map<std::string, int> skills;  // skill -> level 1..5
  int experience = 0;                        // years
  int timezone = 0;                          // hours from UTC
  int available = 0;                         // hours a week the developer offers
  int64_t stars = 0;                         // sum of ratings, each 1..5
  int64_t ratings = 0;                       // how many ratings
  // The profile updates this copy reflects, by id (each update adds its
  // own): how the checks tell a stale copy or a lost update.
  absl::btree_set<std::string> revs;

  bool operator==(const Profile&) const = default;
};

// "skills=go:3,sql:2;exp=5;tz=-5;avail=30;stars=12;ratings=4;revs=o1,u7"
std::string ProfileText(const Profile& p);
// Errors (kInvalidArgument) say which field was malformed.
Result<Profile> ParseProfile(std::string_view text);

// One change a developer makes, or a rating after a project.
struct ProfileChange {
  enum Kind : uint8_t { kOnboard, kSkill, kDropSkill, kAvailability, kExperience };
  Kind kind = kSkill;
  std::string skill;  // kSkill, kDropSkill
  int amount = 0;     // kSkill: the level; kAvailability: hours; kExperience: years
  Profile initial;    // kOnboard: the whole profile
  std::string rev;    // the update's id, added to revs
};
void Apply(const ProfileChange& c, Profile* p);
// "skill go:3", "drop go", "avail 20", "exp 6", "onboard": for the history.
std::string Describe(const ProfileChange& c);

// The crdt representation (one OR-set per developer, docs/models/matching.md):
// elements "skill=go:3", "exp=5", "tz=-5", "avail=30", "rev=u7"; ratings
// are two counters beside it. A change is one atomic set update.
struct SetUpdate {
  std::vector<std::string> remove_prefixes;
  std::vector<std::string> adds;
};
SetUpdate ToSetUpdate(const ProfileChange& c);
// Concurrent changes can leave two values of one field (two "exp=");
// the greatest wins, for every reader alike.
Profile FromElements(const std::vector<std::string>& elements, int64_t stars, int64_t ratings);

// A client's project.
struct Project {
  std::string id;
  std::vector<std::pair<std::string, int>> needs;  // skill, minimum level
  int exp_low = 0, exp_high = 0;                   // the experience band, years
  int hours = 0;                                   // a week
  int timezone = 0;
  int max_tz_gap = 0;     // hours of difference the client accepts
  std::string preferred;  // a developer the client asks for; "" none
  std::string excluded;   // a developer the client will not take; "" none

  bool operator==(const Project&) const = default;
};
// "id=c1.3;needs=go:3,sql:2;exp=3-8;hours=20;tz=1;gap=3;prefer=dev7;exclude="
std::string ProjectText(const Project& p);
Result<Project> ParseProject(std::string_view text);

}  // namespace faultline::matching
