#include "models/matching/profile.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "sim/core/strings.h"

namespace faultline::matching {
namespace {

// "name:level,name:level" <-> pairs.
std::string PairsText(const std::vector<std::pair<std::string, int>>& pairs) {
  std::string out;
  for (const auto& [name, level] : pairs) Append(&out, out.empty() ? "" : ",", name, ":", level);
  return out;
}

Result<std::vector<std::pair<std::string, int>>> ParsePairs(std::string_view text, std::string_view field) {
  std::vector<std::pair<std::string, int>> out;
  if (text.empty()) return out;
  for (absl::string_view item : absl::StrSplit(absl::string_view(text.data(), text.size()), ',')) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(item, absl::MaxSplits(':', 1));
    int level = 0;
    if (kv.first.empty() || !absl::SimpleAtoi(kv.second, &level)) {
      return InvalidArgument(Cat(field, ": expected name:level, got \"", std::string(item), "\""));
    }
    out.emplace_back(std::string(kv.first), level);
  }
  return out;
}

// Splits "a=1;b=2" into fields; every name in `names` must appear once, in order.
Result<std::vector<std::string>> Fields(std::string_view text, const std::vector<std::string_view>& names,
                                        std::string_view what) {
  std::vector<std::string> parts = absl::StrSplit(absl::string_view(text.data(), text.size()), ';');
  if (parts.size() != names.size()) {
    return InvalidArgument(Cat(what, ": expected ", names.size(), " fields separated by ';', got ", parts.size()));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string want = Cat(names[i], "=");
    if (parts[i].rfind(want, 0) != 0) return InvalidArgument(Cat(what, ": expected field ", want, " at position ", i + 1));
    out.push_back(parts[i].substr(want.size()));
  }
  return out;
}

template <typename T>
Status Number(const std::string& text, std::string_view field, T* out) {
  if (absl::SimpleAtoi(text, out)) return Status::Ok();
  return InvalidArgument(Cat(field, ": expected an integer, got \"", text, "\""));
}

}  // namespace

std::string ProfileText(const Profile& p) {
  std::vector<std::pair<std::string, int>> skills(p.skills.begin(), p.skills.end());
  return Cat("skills=", PairsText(skills), ";exp=", p.experience, ";tz=", p.timezone, ";avail=", p.available,
             ";stars=", p.stars, ";ratings=", p.ratings, ";revs=", Join(p.revs, ","));
}

Result<Profile> ParseProfile(std::string_view text) {
  Result<std::vector<std::string>> f =
      Fields(text, {"skills", "exp", "tz", "avail", "stars", "ratings", "revs"}, "profile");
  if (!f.ok()) return f.status();
  Profile p;
  Result<std::vector<std::pair<std::string, int>>> skills = ParsePairs((*f)[0], "profile skills");
  if (!skills.ok()) return skills.status();
  for (const auto& [s, l] : *skills) p.skills[s] = l;
  for (Status s : {Number((*f)[1], "profile exp", &p.experience), Number((*f)[2], "profile tz", &p.timezone),
                   Number((*f)[3], "profile avail", &p.available), Number((*f)[4], "profile stars", &p.stars),
                   Number((*f)[5], "profile ratings", &p.ratings)}) {
    if (!s.ok()) return s;
  }
  if (!(*f)[6].empty()) {
    for (absl::string_view r : absl::StrSplit((*f)[6], ',', absl::SkipEmpty())) p.revs.insert(std::string(r));
  }
  return p;
}

void Apply(const ProfileChange& c, Profile* p) {
  switch (c.kind) {
    case ProfileChange::kOnboard: *p = c.initial; break;
    case ProfileChange::kSkill: p->skills[c.skill] = c.amount; break;
    case ProfileChange::kDropSkill: p->skills.erase(c.skill); break;
    case ProfileChange::kAvailability: p->available = c.amount; break;
    case ProfileChange::kExperience: p->experience = c.amount; break;
  }
  p->revs.insert(c.rev);
}

std::string Describe(const ProfileChange& c) {
  switch (c.kind) {
    case ProfileChange::kOnboard: return "onboard";
    case ProfileChange::kSkill: return Cat("skill ", c.skill, ":", c.amount);
    case ProfileChange::kDropSkill: return Cat("drop ", c.skill);
    case ProfileChange::kAvailability: return Cat("avail ", c.amount);
    case ProfileChange::kExperience: return Cat("exp ", c.amount);
  }
  return "?";
}

SetUpdate ToSetUpdate(const ProfileChange& c) {
  SetUpdate u;
  switch (c.kind) {
    case ProfileChange::kOnboard:
      u.remove_prefixes = {"skill=", "exp=", "tz=", "avail="};
      for (const auto& [s, l] : c.initial.skills) u.adds.push_back(Cat("skill=", s, ":", l));
      u.adds.push_back(Cat("exp=", c.initial.experience));
      u.adds.push_back(Cat("tz=", c.initial.timezone));
      u.adds.push_back(Cat("avail=", c.initial.available));
      break;
    case ProfileChange::kSkill:
      u.remove_prefixes = {Cat("skill=", c.skill, ":")};
      u.adds = {Cat("skill=", c.skill, ":", c.amount)};
      break;
    case ProfileChange::kDropSkill: u.remove_prefixes = {Cat("skill=", c.skill, ":")}; break;
    case ProfileChange::kAvailability:
      u.remove_prefixes = {"avail="};
      u.adds = {Cat("avail=", c.amount)};
      break;
    case ProfileChange::kExperience:
      u.remove_prefixes = {"exp="};
      u.adds = {Cat("exp=", c.amount)};
      break;
  }
  u.adds.push_back(Cat("rev=", c.rev));
  return u;
}

Profile FromElements(const std::vector<std::string>& elements, int64_t stars, int64_t ratings) {
  Profile p;
  bool seen_exp = false, seen_tz = false, seen_avail = false;
  auto greatest = [](bool* seen, int v, int* field) {
    *field = *seen ? std::max(*field, v) : v;
    *seen = true;
  };
  for (const std::string& e : elements) {
    const size_t eq = e.find('=');
    if (eq == std::string::npos) continue;
    const std::string_view name = std::string_view(e).substr(0, eq);
    const std::string value = e.substr(eq + 1);
    int n = 0;
    if (name == "rev") {
      p.revs.insert(value);
    } else if (name == "skill") {
      const size_t colon = value.rfind(':');
      if (colon == std::string::npos || !absl::SimpleAtoi(value.substr(colon + 1), &n)) continue;
      auto [it, fresh] = p.skills.try_emplace(value.substr(0, colon), n);
      if (!fresh) it->second = std::max(it->second, n);
    } else if (absl::SimpleAtoi(value, &n)) {
      if (name == "exp") greatest(&seen_exp, n, &p.experience);
      if (name == "tz") greatest(&seen_tz, n, &p.timezone);
      if (name == "avail") greatest(&seen_avail, n, &p.available);
    }
  }
  p.stars = stars;
  p.ratings = ratings;
  return p;
}

std::string ProjectText(const Project& p) {
  return Cat("id=", p.id, ";needs=", PairsText(p.needs), ";exp=", p.exp_low, "-", p.exp_high, ";hours=", p.hours,
             ";tz=", p.timezone, ";gap=", p.max_tz_gap, ";prefer=", p.preferred, ";exclude=", p.excluded);
}

Result<Project> ParseProject(std::string_view text) {
  Result<std::vector<std::string>> f =
      Fields(text, {"id", "needs", "exp", "hours", "tz", "gap", "prefer", "exclude"}, "project");
  if (!f.ok()) return f.status();
  Project p;
  p.id = (*f)[0];
  Result<std::vector<std::pair<std::string, int>>> needs = ParsePairs((*f)[1], "project needs");
  if (!needs.ok()) return needs.status();
  p.needs = std::move(*needs);
  const size_t dash = (*f)[2].find('-', 1);
  if (dash == std::string::npos) return InvalidArgument("project exp: expected low-high");
  for (Status s : {Number((*f)[2].substr(0, dash), "project exp", &p.exp_low),
                   Number((*f)[2].substr(dash + 1), "project exp", &p.exp_high),
                   Number((*f)[3], "project hours", &p.hours), Number((*f)[4], "project tz", &p.timezone),
                   Number((*f)[5], "project gap", &p.max_tz_gap)}) {
    if (!s.ok()) return s;
  }
  p.preferred = (*f)[6];
  p.excluded = (*f)[7];
  return p;
}

}  // namespace faultline::matching
