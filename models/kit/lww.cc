#include "models/kit/lww.h"

#include <tuple>

namespace faultline::kit {

bool LwwMap::Wins(const Timestamp& a, const Timestamp& b) const {
  if (tiebreak_) return a > b;
  return std::tie(a.physical, a.logical) > std::tie(b.physical, b.logical);  // the planted bug
}

bool LwwMap::Apply(const std::string& key, std::optional<std::string> value, const Timestamp& ts) {
  auto it = entries_.find(key);
  if (it != entries_.end() && !Wins(ts, it->second.ts)) return false;
  entries_[key] = LwwEntry{std::move(value), ts};
  return true;
}

std::optional<std::string> LwwMap::Get(const std::string& key) const {
  const LwwEntry* e = Entry(key);
  return e == nullptr ? std::nullopt : e->value;
}

const LwwEntry* LwwMap::Entry(const std::string& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

void LwwMap::Merge(const LwwMap& o) {
  for (const auto& [key, e] : o.entries_) Apply(key, e.value, e.ts);
}

}  // namespace faultline::kit
