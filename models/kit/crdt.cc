#include "models/kit/crdt.h"

#include <algorithm>

#include "sim/core/strings.h"

namespace faultline::kit {

uint64_t VersionVector::Get(ReplicaId node) const {
  auto it = counts_.find(node);
  return it == counts_.end() ? 0 : it->second;
}

Dot VersionVector::Next(ReplicaId node) {
  const uint64_t c = ++counts_[node];
  return Dot{node, c};
}

void VersionVector::Merge(const VersionVector& o) {
  for (const auto& [node, c] : o.counts_) {
    uint64_t& mine = counts_[node];
    mine = std::max(mine, c);
  }
}

bool VersionVector::LessOrEqual(const VersionVector& o) const {
  return std::all_of(counts_.begin(), counts_.end(), [&](const auto& e) { return e.second <= o.Get(e.first); });
}

std::string VersionVector::ToString() const {
  std::vector<std::string> parts;
  for (const auto& [node, c] : counts_) parts.push_back(Cat("n", node, ":", c));
  return Cat("{", Join(parts, " "), "}");
}

void PnCounter::Add(ReplicaId node, int64_t delta) {
  if (delta >= 0) {
    up_[node] += static_cast<uint64_t>(delta);
  } else {
    down_[node] += static_cast<uint64_t>(-(delta + 1)) + 1;  // no overflow at INT64_MIN
  }
}

int64_t PnCounter::Value() const {
  uint64_t up = 0, down = 0;
  for (const auto& [node, c] : up_) up += c;
  for (const auto& [node, c] : down_) down += c;
  return static_cast<int64_t>(up - down);  // two's complement: exact while the true value fits
}

namespace {

template <typename Map>
void MaxMerge(Map& mine, const Map& theirs) {
  for (const auto& [k, v] : theirs) {
    auto& m = mine[k];
    m = std::max(m, v);
  }
}

// Which dots survive a merge: those both sides hold, and those one side
// holds that the other has not seen (seen and absent means removed).
template <typename Dots>
Dots MergeDots(const Dots& a, const VersionVector& ca, const Dots& b, const VersionVector& cb) {
  Dots out;
  for (const auto& d : a) {
    if (b.contains(d) || !cb.Contains(d)) out.insert(d);
  }
  for (const auto& d : b) {
    if (!ca.Contains(d)) out.insert(d);
  }
  return out;
}

}  // namespace

void PnCounter::Merge(const PnCounter& o) {
  if (!idempotent_) {  // the planted bug
    for (const auto& [n, c] : o.up_) up_[n] += c;
    for (const auto& [n, c] : o.down_) down_[n] += c;
    return;
  }
  MaxMerge(up_, o.up_);
  MaxMerge(down_, o.down_);
}

void PnCounter::Set(ReplicaId node, uint64_t up, uint64_t down) {
  if (up > 0) up_[node] = up;
  if (down > 0) down_[node] = down;
}

OrSet OrSet::FromParts(absl::btree_map<std::string, absl::btree_set<Dot>> entries, VersionVector context) {
  OrSet s;
  s.entries_ = std::move(entries);
  s.context_ = std::move(context);
  return s;
}

MvRegister MvRegister::FromParts(absl::btree_map<Dot, std::string> values, VersionVector context) {
  MvRegister r;
  r.values_ = std::move(values);
  r.context_ = std::move(context);
  return r;
}

void OrSet::Add(ReplicaId node, const std::string& element) {
  entries_[element] = {context_.Next(node)};  // covers every add of it seen so far
}

void OrSet::Remove(const std::string& element) { entries_.erase(element); }  // its dots stay in the context

std::vector<std::string> OrSet::Elements() const {
  std::vector<std::string> out;
  for (const auto& [e, dots] : entries_) out.push_back(e);
  return out;
}

void OrSet::Merge(const OrSet& o) {
  absl::btree_map<std::string, absl::btree_set<Dot>> merged;
  static const absl::btree_set<Dot> kNone;
  for (const auto& [e, dots] : entries_) {
    auto it = o.entries_.find(e);
    auto kept = MergeDots(dots, context_, it == o.entries_.end() ? kNone : it->second, o.context_);
    if (!kept.empty()) merged[e] = std::move(kept);
  }
  for (const auto& [e, dots] : o.entries_) {
    if (entries_.contains(e)) continue;
    auto kept = MergeDots(kNone, context_, dots, o.context_);
    if (!kept.empty()) merged[e] = std::move(kept);
  }
  entries_ = std::move(merged);
  context_.Merge(o.context_);
}

void MvRegister::Write(ReplicaId node, const std::string& value) {
  values_.clear();  // every value seen is overwritten
  values_[context_.Next(node)] = value;
}

std::vector<std::string> MvRegister::Values() const {
  std::vector<std::string> out;
  for (const auto& [dot, v] : values_) out.push_back(v);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void MvRegister::Merge(const MvRegister& o) {
  absl::btree_map<Dot, std::string> merged;
  for (const auto& [d, v] : values_) {
    if (o.values_.contains(d) || !o.context_.Contains(d)) merged[d] = v;
  }
  for (const auto& [d, v] : o.values_) {
    if (!context_.Contains(d)) merged[d] = v;
  }
  values_ = std::move(merged);
  context_.Merge(o.context_);
}

}  // namespace faultline::kit
