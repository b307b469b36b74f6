#include "models/matching/catalog.h"

#include <algorithm>

#include "sim/core/strings.h"

namespace faultline::matching {
namespace {

std::vector<uint64_t> ZipfCdf(size_t n) {
  // Integer weights 1e6 / (k + 1): the draw is integer-only, the same on
  // every machine.
  std::vector<uint64_t> cdf;
  uint64_t total = 0;
  for (size_t k = 0; k < n; ++k) {
    total += 1000000 / (k + 1);
    cdf.push_back(total);
  }
  return cdf;
}

}  // namespace

Catalog::Catalog(int developers) {
  skills_ = {"go", "python", "sql", "react", "typescript", "java", "k8s", "rust", "cpp", "ml", "ios", "android"};
  skill_cdf_ = ZipfCdf(skills_.size());
  Rng rng = Rng::Stream(0x6d61746368, "matching.catalog");
  for (int i = 0; i < developers; ++i) {
    Developer d;
    d.name = Cat("dev", i);
    const int64_t skills = rng.Range(2, 4);
    for (int64_t k = 0; k < skills; ++k) d.initial.skills[skills_[Zipf(skill_cdf_, rng)]] = static_cast<int>(rng.Range(1, 5));
    d.initial.experience = static_cast<int>(rng.Range(0, 15));
    d.initial.timezone = static_cast<int>(rng.Range(-8, 9));
    d.initial.available = static_cast<int>(rng.Range(1, 4)) * 10;
    d.capacity = static_cast<int>(rng.Range(2, 4)) * 10;
    developers_.push_back(std::move(d));
  }
  developer_cdf_ = ZipfCdf(developers_.size());
}

int Catalog::Capacity(const std::string& developer) const {
  for (const Developer& d : developers_) {
    if (d.name == developer) return d.capacity;
  }
  return 0;
}

size_t Catalog::Zipf(const std::vector<uint64_t>& cdf, Rng& rng) {
  const uint64_t d = rng.Uniform(cdf.back());
  return static_cast<size_t>(std::upper_bound(cdf.begin(), cdf.end(), d) - cdf.begin());
}

const std::string& Catalog::DrawSkill(Rng& rng) const { return skills_[Zipf(skill_cdf_, rng)]; }
const Developer& Catalog::DrawDeveloper(Rng& rng) const { return developers_[Zipf(developer_cdf_, rng)]; }

std::string ProfileKey(const std::string& developer) { return Cat("dev/", developer.substr(3)); }
std::string BookingKey(const std::string& developer) { return Cat("book/", developer.substr(3)); }
std::string ProjectKey(const std::string& project) { return Cat("proj/", project); }

std::string DeveloperOfKey(const std::string& key) {
  for (std::string_view prefix : {"dev/", "book/"}) {
    if (key.rfind(prefix, 0) != 0) continue;
    std::string rest = key.substr(prefix.size());
    if (const size_t dot = rest.find('.'); dot != std::string::npos) rest.resize(dot);
    return Cat("dev", rest);
  }
  return "";
}

}  // namespace faultline::matching
