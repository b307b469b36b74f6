#include "models/matching/front.h"

#include <algorithm>

#include "models/matching/score.h"
#include "sim/core/strings.h"

namespace faultline::matching {

Front::Front(Env& env, const kit::KitConfig& profiles, FrontOptions options)
    : env_(env), options_(options), store_(env, profiles, env.rng().Uniform(64), options.attempt) {
  env_.Handle<PostRequest, PostResponse>("intake.post", [this](NodeId, const PostRequest& r) { return Post(r); });
  env_.Handle<MatchRequest, MatchResponse>("engine.match", [this](NodeId, const MatchRequest& r) { return Match(r); });
}

void Front::Run() {
  for (;;) {
    if (!Refresh()) store_.MoveOn();  // try another replica next time
    const Duration jitter = env_.rng().Range(Duration::Zero(), options_.refresh / 4);
    if (!env_.Sleep(options_.refresh + jitter).ok()) return;
  }
}

bool Front::Refresh() {
  kit::KvRequest scan;
  scan.set_op(kit::KvRequest::SCAN);
  scan.set_key("dev/");
  kit::KvResponse answer;
  const Time asked = env_.monotonic_clock();
  if (store_.Try(scan, options_.attempt, &answer).kind != Attempt::kOk) return false;
  absl::btree_map<std::string, Profile> fresh;
  if (options_.crdt) {
    // A developer's set "dev/7", then its counters "dev/7.ratings", "dev/7.stars".
    absl::btree_map<std::string, std::pair<int64_t, int64_t>> counts;  // stars, ratings
    absl::btree_map<std::string, const kit::KvResponse::Entry*> sets;
    for (const kit::KvResponse::Entry& e : answer.entries()) {
      const std::string dev = DeveloperOfKey(e.key());
      if (e.kind() == kit::KvRequest::SET) sets[dev] = &e;
      if (e.key().ends_with(".stars")) counts[dev].first = e.count();
      if (e.key().ends_with(".ratings")) counts[dev].second = e.count();
    }
    for (const auto& [dev, e] : sets) {
      std::vector<std::string> elements(e->values().begin(), e->values().end());
      fresh[dev] = FromElements(elements, counts[dev].first, counts[dev].second);
    }
  } else {
    for (const kit::KvResponse::Entry& e : answer.entries()) {
      Result<Profile> p = ParseProfile(e.value());
      if (p.ok()) fresh[DeveloperOfKey(e.key())] = std::move(*p);
    }
  }
  profiles_ = std::move(fresh);
  have_copy_ = true;
  copied_at_ = asked;  // as old as the request, not the answer
  return true;
}

Result<PostResponse> Front::Post(const PostRequest& req) {
  PostResponse r;
  Result<Project> p = ParseProject(req.project());
  if (!p.ok()) {
    r.set_code(PostResponse::INVALID);
    r.set_why(p.status().message());
    return r;
  }
  kit::KvRequest put;
  put.set_op(kit::KvRequest::PUT);
  put.set_key(ProjectKey(p->id));
  put.set_value(req.project());
  put.set_token(req.token());
  kit::KvResponse answer;
  const Attempt a = store_.Try(put, options_.attempt, &answer);
  if (a.kind == Attempt::kOk) return r;
  if (a.kind == Attempt::kNotHere) {
    r.set_code(PostResponse::UNAVAILABLE);
    r.set_why(a.why);
    return r;
  }
  return Status(Error::kTimeout, Cat("profile store: ", a.why));  // may have been stored
}

Result<MatchResponse> Front::Match(const MatchRequest& req) {
  MatchResponse r;
  Result<Project> project = ParseProject(req.project());
  if (!project.ok()) {
    r.set_code(MatchResponse::INVALID);
    r.set_why(project.status().message());
    return r;
  }
  const Duration age = have_copy_ ? env_.monotonic_clock() - copied_at_ : Duration::Max();
  if (!have_copy_ || (age > options_.max_age && !options_.bug_ignore_age)) {
    r.set_code(MatchResponse::STALE);
    r.set_why(have_copy_ ? Cat("profiles copied ", FormatDuration(age), " ago") : "no copy of the profiles yet");
    return r;
  }
  struct Ranked {
    int64_t total;
    const std::string* dev;
    ScoreParts parts;
  };
  std::vector<Ranked> ranked;
  for (const auto& [dev, profile] : profiles_) {
    if (dev == project->excluded) continue;
    if (std::find(req.skip().begin(), req.skip().end(), dev) != req.skip().end()) continue;
    ScoreParts parts = Score(*project, dev, profile);
    int64_t total = parts.Total();
    if (options_.bug_unexplained_bonus && dev == project->preferred) total += 25;
    ranked.push_back({total, &dev, parts});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    return a.total != b.total ? a.total > b.total : *a.dev < *b.dev;
  });
  if (ranked.size() > req.limit()) ranked.resize(req.limit());
  for (const Ranked& k : ranked) {
    Candidate* c = r.add_candidates();
    c->set_developer(*k.dev);
    c->set_score(k.total);
    for (int64_t p : k.parts.parts) c->add_parts(p);
    c->set_profile(ProfileText(profiles_.at(*k.dev)));
    c->set_age_ms(age.nanos() / 1000000);
  }
  return r;
}

}  // namespace faultline::matching
