#include "models/matching/workload.h"

#include <algorithm>

#include "models/matching/matching.pb.h"
#include "sim/core/strings.h"

namespace faultline::matching {

MatchingClient::MatchingClient(Env& env, HistoryRecorder& history, const Catalog& catalog, Topology topology,
                               int index, MatchingWorkloadOptions options)
    : env_(env),
      catalog_(catalog),
      topology_(std::move(topology)),
      index_(index),
      options_(options),
      first_process_(kit::FirstProcess(env, index, options.stride)),
      client_(env, history, first_process_.value_or(index), options.stride, options.retry),
      registry_(env, topology_.registry, static_cast<size_t>(index), options.attempt),
      profiles_(env, topology_.profiles, static_cast<size_t>(index), options.attempt) {
  for (const std::string& f : topology_.fronts) fronts_.push_back(*env.node(f));
  front_home_ = front_ = static_cast<size_t>(index) % fronts_.size();
}

bool MatchingClient::Stopped() const { return !first_process_.has_value() || env_.now() >= options_.stop; }

bool MatchingClient::Think() {
  const Duration think = env_.rng().Range(options_.think / 2, options_.think * 3 / 2);
  return first_process_.has_value() && env_.Sleep(think).ok() && env_.now() < options_.stop;
}

std::string MatchingClient::NextId(std::string_view kind) { return Cat(kind, client_.process(), ".", ++seq_); }

void MatchingClient::Run() {
  if (!Onboard()) return;
  for (;;) {
    if (!Think()) return;
    if (!ReleaseDue()) return;
    const int64_t total = options_.profile_weight + options_.project_weight;
    if (total <= 0) continue;
    const auto draw = static_cast<int64_t>(env_.rng().Uniform(static_cast<uint64_t>(total)));
    if (draw < options_.profile_weight) {
      const Developer& d = catalog_.DrawDeveloper(env_.rng());
      if (!ChangeProfile(d.name, DrawChange(d.name))) return;
    } else if (!RunProject()) {
      return;
    }
  }
}

bool MatchingClient::Onboard() {
  const std::vector<Developer>& devs = catalog_.developers();
  for (size_t d = static_cast<size_t>(index_); d < devs.size(); d += static_cast<size_t>(topology_.clients)) {
    ProfileChange c;
    c.kind = ProfileChange::kOnboard;
    c.initial = devs[d].initial;
    if (!ChangeProfile(devs[d].name, c)) return false;
  }
  return true;
}

bool MatchingClient::ChangeProfile(const std::string& developer, ProfileChange change) {
  // An onboarding is retried until it lands: a developer the engine cannot
  // see is never matched. Other changes are tried once.
  const int tries = change.kind == ProfileChange::kOnboard ? 20 : 1;
  for (int t = 0; t < tries && env_.now() < options_.stop; ++t) {
    change.rev = NextId(change.kind == ProfileChange::kOnboard ? "o" : "u");
    const Value input = Value::List({Value::String(change.rev), Value::String(Describe(change))});
    profiles_.GoHome();
    Rmw rmw(profiles_, ProfileKey(developer), ProfileDecision(change));
    Result<Client::Done> done =
        client_.Run("profile", developer, input, [&](int n, uint64_t token, Duration remaining) {
          if (options_.crdt_profiles) return CrdtProfileChange(profiles_, ProfileKey(developer), change, token, remaining);
          return rmw.Try(n, token, remaining);
        });
    if (!done.ok()) return false;  // our node crashed
    if (done->type == OpType::kInfo) profiles_.MoveOn();
    if (done->type == OpType::kOk) return true;
    if (!Think()) return true;
  }
  return true;
}

bool MatchingClient::Rate(const std::string& developer, int stars) {
  if (Stopped()) return true;
  profiles_.GoHome();
  Rmw rmw(profiles_, ProfileKey(developer), RatingDecision(stars));
  std::array<bool, 2> landed{};  // crdt: which increments were acknowledged, over all attempts
  Result<Client::Done> done =
      client_.Run("rate", developer, Value::Int(stars), [&](int n, uint64_t token, Duration remaining) {
        if (options_.crdt_profiles) return CrdtRating(profiles_, developer, stars, token, remaining, &landed);
        return rmw.Try(n, token, remaining);
      });
  if (done.ok() && done->type == OpType::kInfo) profiles_.MoveOn();
  return done.ok();
}

bool MatchingClient::ReleaseDue() {
  while (!holds_.empty()) {
    auto due = std::min_element(holds_.begin(), holds_.end(), [](const Hold& a, const Hold& b) { return a.until < b.until; });
    if (due->until > env_.now() || Stopped()) return true;
    const Hold h = *due;
    holds_.erase(due);
    registry_.GoHome();
    Rmw rmw(registry_, BookingKey(h.developer), ReleaseDecision(h.project));
    Result<Client::Done> done = client_.Run("release", h.developer, Value::String(h.project),
                                            [&](int n, uint64_t token, Duration remaining) {
                                              return rmw.Try(n, token, remaining);
                                            });
    if (!done.ok()) return false;
    if (done->type == OpType::kInfo) registry_.MoveOn();
    if (done->type == OpType::kFail) {
      holds_.push_back({h.developer, h.project, env_.now() + options_.hold / 4});  // try again later
      continue;
    }
    if (done->type == OpType::kOk && !Rate(h.developer, static_cast<int>(env_.rng().Range(1, 5)))) return false;
  }
  return true;
}

template <typename Resp>
Attempt MatchingClient::CallFront(std::string_view method, const google::protobuf::MessageLite& req,
                                  Duration remaining, Resp* out) {
  const NodeId front = fronts_[front_];
  Result<Resp> r = env_.Call<Resp>(front, method, req, std::min(remaining, options_.attempt * 3));
  Attempt a;
  a.served_by = env_.name_of(front);
  if (!r.ok()) {
    a.kind = ClassifyRpcError(r.status());
    a.why = r.status().message();
    front_ = (front_ + 1) % fronts_.size();
    return a;
  }
  *out = std::move(*r);
  a.kind = Attempt::kOk;
  return a;
}

namespace {

Value CandidateValue(const Candidate& c) {
  std::vector<Value> parts;
  for (int64_t p : c.parts()) parts.push_back(Value::Int(p));
  return Value::List({Value::String(c.developer()), Value::Int(c.score()), Value::List(std::move(parts)),
                      Value::String(c.profile()), Value::Int(c.age_ms())});
}

}  // namespace

bool MatchingClient::RunProject() {
  Project project = DrawProject();
  const std::string text = ProjectText(project);
  if (Stopped()) return true;
  PostRequest post;
  post.set_project(text);
  front_ = front_home_;
  Result<Client::Done> posted =
      client_.Run("post", project.id, Value::String(text), [&](int, uint64_t token, Duration remaining) {
        post.set_token(token);
        PostResponse r;
        Attempt a = CallFront("intake.post", post, remaining, &r);
        if (a.kind == Attempt::kOk && r.code() != PostResponse::OK) {
          a.kind = r.code() == PostResponse::INVALID ? Attempt::kRejected : Attempt::kNotHere;
          a.why = r.why();
        }
        return a;
      });
  if (!posted.ok()) return false;
  if (posted->type != OpType::kOk) return true;
  std::vector<std::string> taken;
  for (int round = 0; round <= options_.rematches && !Stopped(); ++round) {
    MatchRequest req;
    req.set_project(text);
    req.set_limit(static_cast<uint32_t>(options_.candidates));
    for (const std::string& t : taken) req.add_skip(t);
    front_ = front_home_;
    std::vector<Candidate> candidates;
    Result<Client::Done> matched =
        client_.Run("match", project.id, Value::String(text), [&](int, uint64_t, Duration remaining) {
          MatchResponse r;
          Attempt a = CallFront("engine.match", req, remaining, &r);
          if (a.kind == Attempt::kUnknown) a.kind = Attempt::kNotHere;  // a match changes nothing
          if (a.kind != Attempt::kOk) return a;
          if (r.code() != MatchResponse::OK) {
            a.kind = r.code() == MatchResponse::INVALID ? Attempt::kRejected : Attempt::kNotHere;
            a.why = r.why();
            front_ = (front_ + 1) % fronts_.size();  // a stale engine: another may be fresh
            return a;
          }
          candidates.assign(r.candidates().begin(), r.candidates().end());
          std::vector<Value> list;
          for (const Candidate& c : candidates) list.push_back(CandidateValue(c));
          a.value = Value::List(std::move(list));
          return a;
        });
    if (!matched.ok()) return false;
    if (matched->type != OpType::kOk || candidates.empty()) return true;
    for (const Candidate& c : candidates) {
      if (Stopped()) return true;
      const int capacity = catalog_.Capacity(c.developer());
      registry_.GoHome();
      Rmw rmw(registry_, BookingKey(c.developer()), AssignDecision(project.id, project.hours, capacity));
      Result<Client::Done> assigned = client_.Run(
          "assign", c.developer(),
          Value::List({Value::String(project.id), Value::Int(project.hours), Value::Int(capacity)}),
          [&](int n, uint64_t token, Duration remaining) { return rmw.Try(n, token, remaining); });
      if (!assigned.ok()) return false;
      if (assigned->type == OpType::kInfo) registry_.MoveOn();
      if (assigned->type != OpType::kOk) return true;  // the registry is not answering: give up this project
      if (assigned->value == Value::Keyword("granted")) {
        holds_.push_back({c.developer(), project.id, env_.now() + options_.hold});
        return true;
      }
      taken.push_back(c.developer());
    }
  }
  return true;
}

ProfileChange MatchingClient::DrawChange(const std::string& developer) {
  ProfileChange c;
  (void)developer;
  switch (env_.rng().Uniform(4)) {
    case 0:
    case 1:
      c.kind = ProfileChange::kSkill;
      c.skill = catalog_.DrawSkill(env_.rng());
      c.amount = static_cast<int>(env_.rng().Range(1, 5));
      break;
    case 2:
      c.kind = ProfileChange::kAvailability;
      c.amount = static_cast<int>(env_.rng().Range(0, 4)) * 10;
      break;
    default:
      c.kind = env_.rng().Uniform(2) == 0 ? ProfileChange::kDropSkill : ProfileChange::kExperience;
      c.skill = catalog_.DrawSkill(env_.rng());
      c.amount = static_cast<int>(env_.rng().Range(0, 15));
      break;
  }
  return c;
}

Project MatchingClient::DrawProject() {
  Rng& rng = env_.rng();
  Project p;
  p.id = NextId(Cat(env_.name(), "-"));
  const int64_t needs = rng.Range(1, 3);
  for (int64_t i = 0; i < needs; ++i) {
    const std::string& skill = catalog_.DrawSkill(rng);
    if (std::none_of(p.needs.begin(), p.needs.end(), [&](const auto& n) { return n.first == skill; })) {
      p.needs.emplace_back(skill, static_cast<int>(rng.Range(2, 4)));
    }
  }
  p.exp_low = static_cast<int>(rng.Range(0, 8));
  p.exp_high = p.exp_low + static_cast<int>(rng.Range(2, 6));
  p.hours = static_cast<int>(rng.Range(1, 3)) * 10;
  p.timezone = static_cast<int>(rng.Range(-8, 9));
  p.max_tz_gap = static_cast<int>(rng.Range(2, 6));
  if (rng.Uniform(10) < 3) p.preferred = catalog_.DrawDeveloper(rng).name;
  if (rng.Uniform(10) < 2) p.excluded = catalog_.developers()[rng.Uniform(catalog_.developers().size())].name;
  return p;
}

}  // namespace faultline::matching
