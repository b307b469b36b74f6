#include "models/matching/score.h"

#include <algorithm>
#include <cstdlib>

namespace faultline::matching {

int64_t ScoreParts::Total() const {
  int64_t t = 0;
  for (int64_t p : parts) t += p;
  return t;
}

ScoreParts Score(const Project& project, const std::string& developer, const Profile& profile) {
  ScoreParts s;
  // Half-shares: 2 per skill met, 1 one level short; 400 x earned / (2 x needed).
  int64_t earned = 0;
  for (const auto& [skill, level] : project.needs) {
    auto it = profile.skills.find(skill);
    if (it == profile.skills.end()) continue;
    earned += it->second >= level ? 2 : it->second == level - 1 ? 1 : 0;
  }
  const int64_t needed = static_cast<int64_t>(project.needs.size());
  s.parts[0] = needed == 0 ? 400 : 400 * earned / (2 * needed);
  const int outside = profile.experience < project.exp_low    ? project.exp_low - profile.experience
                      : profile.experience > project.exp_high ? profile.experience - project.exp_high
                                                              : 0;
  s.parts[1] = std::max<int64_t>(0, 200 - 50 * outside);
  s.parts[2] = profile.available <= 0 || project.hours <= 0
                   ? 0
                   : std::min<int64_t>(150, 150 * profile.available / project.hours);
  s.parts[3] = profile.ratings == 0 ? 75 : 150 * profile.stars / (5 * profile.ratings);
  s.parts[4] = (std::abs(profile.timezone - project.timezone) <= project.max_tz_gap ? 50 : 0) +
               (!project.preferred.empty() && project.preferred == developer ? 50 : 0);
  return s;
}

}  // namespace faultline::matching
