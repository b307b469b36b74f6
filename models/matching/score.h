// The matching engine's score (docs/models/matching.md): integer points,
// so that every replica of the engine and the `scores_explained` check
// compute the same figure bit for bit. The score is the sum of five parts:
//   skill        0..400  each needed skill earns an equal share: all of it
//                        at or above the level needed, half one level below
//   experience   0..200  inside the band 200, minus 50 per year outside
//   availability 0..150  150 x offered hours / project hours, at most 150;
//                        0 when the developer offers no hours
//   performance  0..150  75 with no ratings, else 150 x stars / (5 x ratings)
//   preference   0..100  50 within the client's time-zone gap, 50 when the
//                        client asked for this developer
// An excluded developer is not scored at all.
#pragma once

#include <array>
#include <string>

#include "models/matching/profile.h"

namespace faultline::matching {

struct ScoreParts {
  static constexpr size_t kCount = 5;
  static constexpr std::array<const char*, kCount> kNames = {"skill", "experience", "availability", "performance",
                                                             "preference"};
  std::array<int64_t, kCount> parts{};
  int64_t Total() const;
};

ScoreParts Score(const Project& project, const std::string& developer, const Profile& profile);

}  // namespace faultline::matching
