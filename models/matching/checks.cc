#include "models/matching/checks.h"

#include <algorithm>

#include "models/matching/score.h"
#include "sim/check/models.h"
#include "sim/check/wgl.h"
#include "sim/core/hash.h"
#include "sim/core/strings.h"

namespace faultline::matching {
namespace {

int64_t InvokeNs(const History& h, const Operation& op) { return h.ops[static_cast<size_t>(op.invoke_index)].time_ns; }
// The completion's time; INT64_MAX when there is none (info).
int64_t CompleteNs(const History& h, const Operation& op) {
  return op.info || op.complete_index < 0 ? INT64_MAX : h.ops[static_cast<size_t>(op.complete_index)].time_ns;
}
std::string Ms(int64_t ns) { return FormatDuration(Duration::Nanos(ns)); }

Findings Finish(Findings f, std::string ok_message, std::string bad_message) {
  f.verdict = f.found.empty() ? Verdict::kOk : Verdict::kViolation;
  f.message = f.found.empty() ? std::move(ok_message) : std::move(bad_message);
  return f;
}

const Value* Item(const Value& v, size_t i) {
  return v.is_list() && v.items().size() > i ? &v.items()[i] : nullptr;
}

// --- the registry model for the linearizability search --------------------

struct BookingOp {
  bool assign = false;
  std::string project;
  int64_t hours = 0, capacity = 0;
  bool granted = false;  // assign's answer (ignored for info)
};

struct Bookings {
  using State = std::vector<std::pair<std::string, int64_t>>;  // sorted by project
  using Input = BookingOp;
  State Init() const { return {}; }
  // A refused assign (known to be refused) leaves the bookings as they were.
  bool ReadOnly(const Input& in, bool info) const { return in.assign && !in.granted && !info; }
  bool Step(const State& s, const Input& in, bool info, State* next) const {
    *next = s;
    auto it = std::lower_bound(next->begin(), next->end(), std::pair<std::string, int64_t>(in.project, INT64_MIN));
    const bool held = it != next->end() && it->first == in.project;
    if (!in.assign) {
      if (held) next->erase(it);
      return true;
    }
    if (held) return info || in.granted;
    int64_t booked = 0;
    for (const auto& b : s) booked += b.second;
    const bool fits = booked + in.hours <= in.capacity;
    if (fits && (info || in.granted)) next->insert(it, {in.project, in.hours});
    return info || fits == in.granted;
  }
  uint64_t Hash(const State& s) const {
    uint64_t h = s.size();
    for (const auto& [p, hours] : s) h = Mix64(h ^ HashString(p) ^ static_cast<uint64_t>(hours));
    return h;
  }
  std::string Describe(const State& s) const {
    std::string out = "{";
    for (const auto& [p, hours] : s) Append(&out, out.size() > 1 ? " " : "", p, ":", hours);
    return out + "}";
  }
};

Result<BookingOp> Compile(const Operation& op) {
  BookingOp b;
  b.assign = op.f == "assign";
  const Value* project = b.assign ? Item(op.input, 0) : &op.input;
  if (project == nullptr || !project->is_string()) {
    return InvalidArgument(Cat(DescribeOperation(op), ": expected a project id"));
  }
  b.project = project->text();
  if (b.assign) {
    const Value* hours = Item(op.input, 1);
    const Value* capacity = Item(op.input, 2);
    if (hours == nullptr || capacity == nullptr || !hours->is_int() || !capacity->is_int()) {
      return InvalidArgument(Cat(DescribeOperation(op), ": expected [project hours capacity]"));
    }
    b.hours = hours->int_value();
    b.capacity = capacity->int_value();
    b.granted = op.output == Value::Keyword("granted");
  }
  return b;
}

}  // namespace

Findings CheckNoDoubleBooking(const History& h, const std::vector<Operation>& ops) {
  // Per developer: intervals [granted at, release invoked) with hours.
  struct Held {
    int64_t from, to;
    int64_t hours;
    size_t op;
    std::string project;
  };
  absl::btree_map<std::string, std::vector<Held>> held;
  absl::btree_map<std::string, int64_t> capacity;
  absl::btree_map<std::pair<std::string, std::string>, int64_t> released;  // (developer, project) -> first invoked
  for (const Operation& r : ops) {
    if (r.f != "release" || !r.key || !r.input.is_string()) continue;
    auto [it, fresh] = released.try_emplace({*r.key, r.input.text()}, InvokeNs(h, r));
    if (!fresh) it->second = std::min(it->second, InvokeNs(h, r));
  }
  for (const Operation& op : ops) {
    if (op.f != "assign" || op.info || op.output != Value::Keyword("granted") || !op.key) continue;
    const Value* project = Item(op.input, 0);
    const Value* hours = Item(op.input, 1);
    const Value* cap = Item(op.input, 2);
    if (project == nullptr || hours == nullptr || cap == nullptr || !hours->is_int() || !cap->is_int()) continue;
    auto rel = released.find({*op.key, project->text()});
    const int64_t to = rel == released.end() ? INT64_MAX : rel->second;
    held[*op.key].push_back({CompleteNs(h, op), to, hours->int_value(), op.id, project->text()});
    capacity[*op.key] = cap->int_value();
  }
  Findings f;
  for (auto& [dev, spans] : held) {
    // Sweep: at each start, the sum of spans covering it.
    for (const Held& s : spans) {
      int64_t sum = 0;
      std::vector<const Held*> cover;
      for (const Held& o : spans) {
        if (o.from <= s.from && s.from < o.to) {
          sum += o.hours;
          cover.push_back(&o);
        }
      }
      if (sum <= capacity[dev]) continue;
      Finding x;
      x.time_ns = s.from;
      x.why = Cat(dev, " booked ", sum, " h of ", capacity[dev], " at ", Ms(s.from), ":");
      for (const Held* c : cover) {
        Append(&x.why, " ", c->project, " (", c->hours, " h, op ", c->op, ")");
        x.ops.push_back(c->op);
      }
      f.found.push_back(std::move(x));
      break;  // one finding per developer: the first moment
    }
  }
  const size_t n = f.found.size();
  return Finish(std::move(f), "no developer booked beyond capacity", Cat(n, n == 1 ? " developer" : " developers", " booked beyond capacity"));
}

Result<Findings> CheckRegistryLinearizable(const std::vector<Operation>& ops, const CheckBudget& budget) {
  absl::btree_map<std::string, wgl::Problem<Bookings>> parts;
  static const Bookings kModel;
  for (const Operation& op : ops) {
    if ((op.f != "assign" && op.f != "release") || !op.key) continue;
    Result<BookingOp> in = Compile(op);
    if (!in.ok()) return in.status();
    wgl::Problem<Bookings>& p = parts[*op.key];
    p.model = &kModel;
    p.ops.push_back(&op);
    p.inputs.push_back(std::move(*in));
  }
  Findings f;
  std::vector<std::string> undecided;
  StepShares shares(budget, parts.size());
  for (const auto& [dev, problem] : parts) {
    PartitionResult r;
    if (const CheckBudget* part_budget = shares.Next(); part_budget == nullptr) {
      r.verdict = Verdict::kUnknown;
      r.unknown_reason = "step budget";
    } else {
      r = wgl::Search(problem, *part_budget);
      shares.Used(r.steps);
    }
    if (r.verdict == Verdict::kUnknown) undecided.push_back(Cat(dev, " (", r.unknown_reason, ")"));
    if (r.verdict != Verdict::kViolation) continue;
    Finding x;
    x.why = Cat(dev, ": ", r.longest_prefix.size(), " operations order to bookings ", r.state_after_prefix,
                ", then none of these fits:");
    for (size_t id : r.stuck) {
      Append(&x.why, " [", DescribeOperation(ops[id]), "]");
      x.ops.push_back(id);
    }
    f.found.push_back(std::move(x));
  }
  const size_t n = f.found.size();
  f = Finish(std::move(f), Cat(parts.size(), " developers' bookings linearizable"),
             Cat(n, " of ", parts.size(), " developers' bookings not linearizable"));
  if (f.verdict == Verdict::kOk && !undecided.empty()) {  // raise the check's `steps` or `memory`
    f.verdict = Verdict::kUnknown;
    f.message = UndecidedMessage(undecided, parts.size(), "developers");
  }
  return f;
}

Findings CheckMatchStaleness(const History& h, const std::vector<Operation>& ops, int64_t bound_ns) {
  // Acknowledged profile changes per developer: (acknowledged at, rev, op).
  struct Change {
    int64_t at;
    std::string rev;
    size_t op;
  };
  absl::btree_map<std::string, std::vector<Change>> changes;
  for (const Operation& op : ops) {
    if (op.f != "profile" || op.info || !op.key || op.output == Value::Keyword("exists")) continue;
    const Value* rev = Item(op.input, 0);
    if (rev != nullptr && rev->is_string()) changes[*op.key].push_back({CompleteNs(h, op), rev->text(), op.id});
  }
  Findings f;
  size_t checked = 0;
  int64_t worst = 0;
  for (const Operation& op : ops) {
    if (op.f != "match" || op.info || !op.output.is_list()) continue;
    const int64_t t = InvokeNs(h, op);
    for (const Value& c : op.output.items()) {
      const Value* dev = Item(c, 0);
      const Value* text = Item(c, 3);
      if (dev == nullptr || text == nullptr || !dev->is_string() || !text->is_string()) continue;
      Result<Profile> p = ParseProfile(text->text());
      if (!p.ok()) continue;  // scores_explained reports it
      ++checked;
      auto it = changes.find(dev->text());
      if (it == changes.end()) continue;
      // The oldest change missing from the copy and acknowledged before t - bound.
      for (const Change& ch : it->second) {
        if (ch.at >= t - bound_ns || p->revs.contains(ch.rev)) continue;
        worst = std::max(worst, t - ch.at);
        Finding x;
        x.time_ns = t;
        x.why = Cat("op ", op.id, " matched ", dev->text(), " at ", Ms(t), " from a copy without ", ch.rev,
                    " (op ", ch.op, "), acknowledged ", Ms(t - ch.at), " before");
        x.ops = {op.id, ch.op};
        f.found.push_back(std::move(x));
        break;
      }
    }
  }
  const size_t n = f.found.size();
  return Finish(std::move(f), Cat(checked, " candidates scored from copies within ", Ms(bound_ns)),
                Cat(n, " of ", checked, " candidates scored from copies older than ", Ms(bound_ns),
                    " (worst ", Ms(worst), ")"));
}

Findings CheckNoLostProfileUpdates(const History& h, const std::vector<Operation>& ops,
                                   const absl::btree_map<std::string, std::string>& final_profiles) {
  Findings f;
  size_t acknowledged = 0;
  for (const Operation& op : ops) {
    if (op.f != "profile" || op.info || !op.key || op.output == Value::Keyword("exists")) continue;
    const Value* rev = Item(op.input, 0);
    const Value* what = Item(op.input, 1);
    if (rev == nullptr || !rev->is_string()) continue;
    ++acknowledged;
    auto it = final_profiles.find(*op.key);
    Result<Profile> p = it == final_profiles.end() ? Result<Profile>(Status(Error::kNotFound, "no profile"))
                                                   : ParseProfile(it->second);
    if (p.ok() && p->revs.contains(rev->text())) continue;
    Finding x;
    x.time_ns = CompleteNs(h, op);
    x.why = Cat(*op.key, ": ", rev->text(), " (", what != nullptr && what->is_string() ? what->text() : "?",
                ", op ", op.id, ", acknowledged at ", Ms(x.time_ns), ") is not in the final profile");
    x.ops = {op.id};
    f.found.push_back(std::move(x));
  }
  const size_t n = f.found.size();
  return Finish(std::move(f), Cat(acknowledged, " acknowledged profile changes all kept"),
                Cat(n, " of ", acknowledged, " acknowledged profile changes lost"));
}

Findings CheckScoresExplained(const History& h, const std::vector<Operation>& ops) {
  Findings f;
  size_t checked = 0;
  for (const Operation& op : ops) {
    if (op.f != "match" || op.info || !op.output.is_list() || !op.input.is_string()) continue;
    Result<Project> project = ParseProject(op.input.text());
    for (const Value& c : op.output.items()) {
      ++checked;
      const Value* dev = Item(c, 0);
      const Value* score = Item(c, 1);
      const Value* parts = Item(c, 2);
      const Value* text = Item(c, 3);
      std::string why;
      Result<Profile> profile = text != nullptr && text->is_string() ? ParseProfile(text->text())
                                                                     : Result<Profile>(InvalidArgument("no profile text"));
      if (!project.ok() || !profile.ok() || dev == nullptr || !dev->is_string() || score == nullptr ||
          !score->is_int() || parts == nullptr || !parts->is_list() || parts->items().size() != ScoreParts::kCount) {
        why = Cat("unreadable candidate ", c.ToEdn());
      } else {
        const ScoreParts want = Score(*project, dev->text(), *profile);
        int64_t sum = 0;
        for (size_t i = 0; i < ScoreParts::kCount; ++i) {
          const Value& got = parts->items()[i];
          sum += got.is_int() ? got.int_value() : 0;
          if (!got.is_int() || got.int_value() != want.parts[i]) {
            Append(&why, why.empty() ? "" : "; ", ScoreParts::kNames[i], " recorded ", got.ToEdn(), ", recomputed ",
                   want.parts[i]);
          }
        }
        if (sum != score->int_value()) {
          Append(&why, why.empty() ? "" : "; ", "score ", score->int_value(), " but its parts sum to ", sum);
        }
        if (!why.empty()) why = Cat(dev->text(), ": ", why);
      }
      if (why.empty()) continue;
      Finding x;
      x.time_ns = CompleteNs(h, op);
      x.why = Cat("op ", op.id, " ", why);
      x.ops = {op.id};
      f.found.push_back(std::move(x));
    }
  }
  const size_t n = f.found.size();
  return Finish(std::move(f), Cat(checked, " scores explained by their parts"),
                Cat(n, " of ", checked, " scores not explained by their parts"));
}

}  // namespace faultline::matching
