// The matching service's world for one run: the skills there are, and the
// developers with their starting profiles and capacity. Drawn from a fixed
// stream (not the run's seed): every seed of a scenario matches the same
// people, so the seeds vary the schedule and the faults, not the market.
// The services, the workload and the checks all build it the same way.
#pragma once

#include <string>
#include <vector>

#include "models/matching/profile.h"
#include "sim/core/rng.h"

namespace faultline::matching {

struct Developer {
  std::string name;  // "dev7": the profile key is "dev/7" (ProfileKey)
  Profile initial;
  int capacity = 0;  // hours a week the registry may book
};

class Catalog {
 public:
  explicit Catalog(int developers);
  const std::vector<Developer>& developers() const { return developers_; }
  const std::vector<std::string>& skills() const { return skills_; }
  // The capacity of `developer` by name; 0 if unknown.
  int Capacity(const std::string& developer) const;
  // Draws with zipfian popularity (exponent 1): skill 0 and developer 0
  // are the most wanted, so projects compete for the same people.
  const std::string& DrawSkill(Rng& rng) const;
  const Developer& DrawDeveloper(Rng& rng) const;

 private:
  static size_t Zipf(const std::vector<uint64_t>& cdf, Rng& rng);
  std::vector<std::string> skills_;
  std::vector<Developer> developers_;
  std::vector<uint64_t> skill_cdf_, developer_cdf_;
};

// Store keys: a developer's profile, its rating counters (crdt), a project.
std::string ProfileKey(const std::string& developer);  // "dev/7"
std::string BookingKey(const std::string& developer);  // "book/7"
std::string ProjectKey(const std::string& project);    // "proj/c1.3"
// The developer a profile or booking key names ("dev7"), "" if none.
std::string DeveloperOfKey(const std::string& key);

}  // namespace faultline::matching
