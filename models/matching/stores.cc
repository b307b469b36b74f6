#include "models/matching/stores.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "models/matching/catalog.h"
#include "sim/core/strings.h"
#include "sim/workload/token.h"

namespace faultline::matching {

Attempt Rmw::Try(int n, uint64_t token, Duration remaining) {
  kit::KvResponse answer;
  if (pending_) {
    Attempt a = caller_.Try(*pending_, remaining, &answer);
    if (a.kind == Attempt::kOk) {
      a.value = pending_result_;
    } else if (a.kind == Attempt::kRejected) {
      // A mismatch answered for the same token: it was never applied.
      pending_.reset();
      a.kind = Attempt::kNotHere;
    } else {
      a.kind = Attempt::kUnknown;  // still may land: only its own token can tell
    }
    return a;
  }
  kit::KvRequest get;
  get.set_op(kit::KvRequest::GET);
  get.set_key(key_);
  Attempt a = caller_.Try(get, remaining, &answer);
  if (a.kind != Attempt::kOk) {
    a.kind = Attempt::kNotHere;  // a read changes nothing: certainly no effect
    return a;
  }
  const std::optional<std::string> current = answer.found() ? std::optional(answer.value()) : std::nullopt;
  Decision d = decide_(current);
  if (d.kind == Decision::kReject) {
    Attempt r;
    r.kind = Attempt::kRejected;
    r.why = d.why;
    return r;
  }
  if (d.kind == Decision::kNoWrite) {
    a.value = d.result;
    a.version.clear();
    return a;
  }
  kit::KvRequest cas;
  cas.set_op(kit::KvRequest::CAS);
  cas.set_key(key_);
  cas.set_has_expected(current.has_value());
  if (current) cas.set_expected(*current);
  cas.set_value(d.value);
  // Each attempt's CAS is a sub-request of its own (token.h): a retried
  // read-modify-write is a new CAS, a resent pending one the same.
  cas.set_token(SubToken(token, static_cast<uint64_t>(n)));
  a = caller_.Try(cas, remaining, &answer);
  if (a.kind == Attempt::kOk) {
    a.value = d.result;
  } else if (a.kind == Attempt::kRejected) {
    a.kind = Attempt::kNotHere;  // lost the race: read again
    a.why = "changed since read";
  } else if (a.kind == Attempt::kUnknown) {
    pending_ = cas;
    pending_result_ = d.result;
  }
  return a;
}

std::vector<std::pair<std::string, int>> ParseBookings(const std::string& text) {
  std::vector<std::pair<std::string, int>> out;
  if (text.empty()) return out;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    const size_t colon = item.rfind(':');
    int hours = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(item.substr(colon + 1), &hours)) continue;
    out.emplace_back(std::string(item.substr(0, colon)), hours);
  }
  return out;
}

namespace {

std::string BookingsText(std::vector<std::pair<std::string, int>> b) {
  std::sort(b.begin(), b.end());
  std::string out;
  for (const auto& [p, h] : b) Append(&out, out.empty() ? "" : ",", p, ":", h);
  return out;
}

}  // namespace

Rmw::Decide AssignDecision(const std::string& project, int hours, int capacity) {
  return [=](const std::optional<std::string>& current) {
    std::vector<std::pair<std::string, int>> b = ParseBookings(current.value_or(""));
    Rmw::Decision d;
    int booked = 0;
    for (const auto& [p, h] : b) {
      booked += h;
      if (p == project) d.result = Value::Keyword("granted");  // ours already: a retry
    }
    if (!d.result.is_nil()) return d;
    if (booked + hours > capacity) {
      d.result = Value::Keyword("taken");
      return d;
    }
    b.emplace_back(project, hours);
    d.kind = Rmw::Decision::kWrite;
    d.value = BookingsText(std::move(b));
    d.result = Value::Keyword("granted");
    return d;
  };
}

Rmw::Decide ReleaseDecision(const std::string& project) {
  return [=](const std::optional<std::string>& current) {
    std::vector<std::pair<std::string, int>> b = ParseBookings(current.value_or(""));
    Rmw::Decision d;
    auto it = std::find_if(b.begin(), b.end(), [&](const auto& e) { return e.first == project; });
    if (it == b.end()) return d;  // not booked (any more): nothing to do
    b.erase(it);
    d.kind = Rmw::Decision::kWrite;
    d.value = BookingsText(std::move(b));
    return d;
  };
}

Rmw::Decide ProfileDecision(const ProfileChange& change) {
  return [=](const std::optional<std::string>& current) {
    Rmw::Decision d;
    if (change.kind == ProfileChange::kOnboard) {
      if (current) {
        d.result = Value::Keyword("exists");
        return d;
      }
      Profile p;
      Apply(change, &p);
      d.kind = Rmw::Decision::kWrite;
      d.value = ProfileText(p);
      return d;
    }
    Result<Profile> p = current ? ParseProfile(*current) : Result<Profile>(Status(Error::kNotFound, "no profile"));
    if (!p.ok()) {
      d.kind = Rmw::Decision::kReject;
      d.why = current ? p.status().message() : "not onboarded here yet";
      return d;
    }
    Apply(change, &*p);
    d.kind = Rmw::Decision::kWrite;
    d.value = ProfileText(*p);
    return d;
  };
}

Rmw::Decide RatingDecision(int stars) {
  return [=](const std::optional<std::string>& current) {
    Rmw::Decision d;
    Result<Profile> p = current ? ParseProfile(*current) : Result<Profile>(Status(Error::kNotFound, "no profile"));
    if (!p.ok()) {
      d.kind = Rmw::Decision::kReject;
      d.why = "not onboarded here yet";
      return d;
    }
    p->stars += stars;
    p->ratings += 1;
    d.kind = Rmw::Decision::kWrite;
    d.value = ProfileText(*p);
    return d;
  };
}

Attempt CrdtProfileChange(kit::KvCaller& caller, const std::string& key, const ProfileChange& change,
                          uint64_t token, Duration remaining) {
  const SetUpdate u = ToSetUpdate(change);
  kit::KvRequest req;
  req.set_op(kit::KvRequest::UPDATE_SET);
  req.set_kind(kit::KvRequest::SET);
  req.set_key(key);
  for (const std::string& e : u.adds) req.add_adds(e);
  for (const std::string& p : u.remove_prefixes) req.add_remove_prefixes(p);
  req.set_token(token);
  kit::KvResponse answer;
  return caller.Try(req, remaining, &answer);
}

Attempt CrdtRating(kit::KvCaller& caller, const std::string& developer, int stars, uint64_t token,
                   Duration remaining, std::array<bool, 2>* landed) {
  const std::string key = ProfileKey(developer);
  const std::pair<const char*, int> increments[] = {{".stars", stars}, {".ratings", 1}};
  kit::KvResponse answer;
  Attempt a;
  a.kind = Attempt::kOk;
  for (size_t i = 0; i < 2; ++i) {
    if ((*landed)[i]) continue;
    kit::KvRequest req;
    req.set_op(kit::KvRequest::INCR);
    req.set_kind(kit::KvRequest::COUNTER);
    req.set_key(Cat(key, increments[i].first));
    req.set_delta(increments[i].second);
    req.set_token(SubToken(token, i));
    a = caller.Try(req, remaining, &answer);
    if (a.kind != Attempt::kOk) {
      // With one increment acknowledged the rating is half done: unknown,
      // and the retry sends only what has not landed.
      if (a.kind == Attempt::kNotHere && ((*landed)[0] || (*landed)[1])) a.kind = Attempt::kUnknown;
      return a;
    }
    (*landed)[i] = true;
  }
  return a;
}

}  // namespace faultline::matching
