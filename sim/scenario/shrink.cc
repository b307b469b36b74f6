#include "sim/scenario/shrink.h"

#include <algorithm>

#include "absl/container/btree_set.h"
#include "sim/core/strings.h"

namespace faultline::scenario {
namespace {

std::string Ms(Duration d) { return FormatDuration(d); }

// Rounds down to the resolution, never below it.
Duration Round(Duration d, Duration resolution) {
  const int64_t r = resolution.nanos();
  return Duration::Nanos(std::max(r, d.nanos() / r * r));
}

bool NamesOnly(const Fault& f, const absl::btree_set<std::string>& names) {
  auto ok = [&names](const NodeRef& r) { return r.name.empty() || names.contains(r.name); };
  for (const NodeRef& r : f.nodes) {
    if (!ok(r)) return false;
  }
  for (const auto& g : f.groups) {
    for (const NodeRef& r : g) {
      if (!ok(r)) return false;
    }
  }
  return true;
}

class Shrinker {
 public:
  Shrinker(ScenarioSpec start, const Interesting& interesting, const ShrinkOptions& o, ShrinkStats* stats)
      : best_(std::move(start)), interesting_(interesting), o_(o), stats_(stats) {}

  ScenarioSpec Run() {
    // A failure with no fault at all says the most, and costs one run.
    if (!best_.schedule.empty()) {
      ScenarioSpec c = best_;
      c.schedule.clear();
      Accept(std::move(c), Cat("fails with no fault at all (", best_.schedule.size(), " dropped)"));
    }
    for (bool progress = true; progress && !Spent();) {
      progress = false;
      progress |= DropFaults();
      progress |= ShortenFaults();
      progress |= DelayFaults();
      progress |= FewerNodes();
      progress |= FewerClients();
      progress |= ShorterRun();
      progress |= FewerOperations();
    }
    return best_;
  }

 private:
  bool Spent() const { return stats_->runs >= o_.budget; }

  bool Accept(ScenarioSpec c, std::string step) {
    if (Spent()) return false;
    ++stats_->runs;
    if (!interesting_(c)) return false;
    best_ = std::move(c);
    ++stats_->accepted;
    stats_->steps.push_back(std::move(step));
    return true;
  }

  // Zeller's ddmin over the schedule: keep one of n chunks, else drop one;
  // on no progress, cut finer.
  bool DropFaults() {
    bool any = false;
    size_t n = 2;
    while (best_.schedule.size() >= 2 && !Spent()) {
      const std::vector<Scheduled> s = best_.schedule;
      n = std::min(n, s.size());
      std::vector<std::vector<Scheduled>> chunks(n);
      for (size_t i = 0; i < s.size(); ++i) chunks[i * n / s.size()].push_back(s[i]);
      bool reduced = false;
      for (size_t i = 0; i < n && !reduced; ++i) {
        ScenarioSpec c = best_;
        c.schedule = chunks[i];
        reduced = Accept(std::move(c), Cat("faults: kept ", chunks[i].size(), " of ", s.size()));
        if (reduced) n = 2;
      }
      for (size_t i = 0; i < n && !reduced && n > 2; ++i) {
        ScenarioSpec c = best_;
        c.schedule.clear();
        for (size_t j = 0; j < n; ++j) {
          if (j != i) c.schedule.insert(c.schedule.end(), chunks[j].begin(), chunks[j].end());
        }
        reduced = Accept(std::move(c), Cat("faults: dropped ", chunks[i].size(), " of ", s.size()));
        if (reduced) n = std::max<size_t>(n - 1, 2);
      }
      if (reduced) {
        any = true;
        continue;
      }
      if (n >= s.size()) break;
      n = std::min(2 * n, s.size());
    }
    if (best_.schedule.size() == 1 && !Spent()) {
      ScenarioSpec c = best_;
      c.schedule.clear();
      any |= Accept(std::move(c), "faults: dropped the last one");
    }
    return any;
  }

  // Each fault's duration (its `lasting`, or a clog's amount) halved while
  // the failure holds.
  bool ShortenFaults() {
    bool any = false;
    for (size_t i = 0; i < best_.schedule.size() && !Spent(); ++i) {
      for (;;) {
        ScenarioSpec c = best_;
        Scheduled& s = c.schedule[i];
        Duration* d = s.lasting ? &*s.lasting : s.fault.kind == "link.clog" ? &s.fault.amount : nullptr;
        if (d == nullptr || *d < o_.resolution * 2) break;
        const Duration was = *d;
        *d = Round(was / 2, o_.resolution);
        const std::string step = Cat(s.fault.kind, " at ", Ms(s.at), ": ", Ms(was), " -> ", Ms(*d));
        if (!Accept(std::move(c), step)) break;
        any = true;
      }
    }
    return any;
  }

  // Each lasting fault starts later, by half its length, ending when it did.
  bool DelayFaults() {
    bool any = false;
    for (size_t i = 0; i < best_.schedule.size() && !Spent(); ++i) {
      for (;;) {
        ScenarioSpec c = best_;
        Scheduled& s = c.schedule[i];
        if (!s.lasting || *s.lasting < o_.resolution * 2) break;
        const Duration shift = Round(*s.lasting / 2, o_.resolution);
        const Duration was = s.at;
        s.at = s.at + shift;
        *s.lasting = *s.lasting - shift;
        const std::string step = Cat(s.fault.kind, " moved from ", Ms(was), " to ", Ms(s.at), ", same end");
        if (!Accept(std::move(c), step)) break;
        any = true;
      }
    }
    return any;
  }

  bool FewerNodes() {
    bool any = false;
    while (best_.nodes > o_.min_nodes && o_.server_names && !Spent()) {
      ScenarioSpec c = best_;
      c.nodes = best_.nodes - 1;
      const std::vector<std::string> list = o_.server_names(c);
      const absl::btree_set<std::string> names(list.begin(), list.end());
      std::erase_if(c.schedule, [&names](const Scheduled& s) { return !NamesOnly(s.fault, names); });
      for (auto& [region, members] : c.regions) std::erase_if(members, [&names](const std::string& n) { return !names.contains(n); });
      absl::erase_if(c.regions, [](const auto& r) { return r.second.empty(); });
      if (!Accept(std::move(c), Cat("nodes: ", best_.nodes, " -> ", best_.nodes - 1))) break;
      any = true;
    }
    return any;
  }

  bool FewerClients() {
    bool any = false;
    while (best_.workload.clients > 1 && !Spent()) {
      const int was = best_.workload.clients;
      ScenarioSpec half = best_;
      half.workload.clients = std::max(1, was / 2);
      if (Accept(std::move(half), Cat("clients: ", was, " -> ", std::max(1, was / 2)))) {
        any = true;
        continue;
      }
      if (was / 2 == was - 1) break;  // the same candidate
      ScenarioSpec one_less = best_;
      one_less.workload.clients = was - 1;
      if (!Accept(std::move(one_less), Cat("clients: ", was, " -> ", was - 1))) break;
      any = true;
    }
    return any;
  }

  // Halves the run while the failure holds, then tries three quarters;
  // faults that would start after the end go.
  bool ShorterRun() {
    bool any = false;
    for (int64_t quarters : {2, 3}) {  // halves, then three quarters
      while (best_.duration >= o_.resolution * 2 && !Spent()) {
        ScenarioSpec c = best_;
        c.duration = Round(best_.duration * quarters / 4, o_.resolution);
        if (c.duration >= best_.duration) break;
        std::erase_if(c.schedule, [&c](const Scheduled& s) { return s.at >= c.duration; });
        const std::string step = Cat("duration: ", Ms(best_.duration), " -> ", Ms(c.duration));
        if (!Accept(std::move(c), step)) break;
        any = true;
      }
    }
    return any;
  }

  // Fewer operations in the same time: a closed loop thinks twice as long,
  // an open one runs at half the rate.
  bool FewerOperations() {
    bool any = false;
    for (int i = 0; i < 4 && !Spent(); ++i) {
      ScenarioSpec c = best_;
      std::string step;
      if (c.workload.rate_per_s > 1) {
        c.workload.rate_per_s /= 2;
        step = Cat("rate: ", best_.workload.rate_per_s, "/s -> ", c.workload.rate_per_s, "/s");
      } else if (c.workload.rate_per_s == 0 && c.workload.think < c.duration / 4) {
        c.workload.think = c.workload.think == Duration::Zero() ? Duration::Millis(1) : c.workload.think * 2;
        step = Cat("think: ", Ms(best_.workload.think), " -> ", Ms(c.workload.think));
      } else {
        break;
      }
      if (!Accept(std::move(c), step)) break;
      any = true;
    }
    return any;
  }

  ScenarioSpec best_;
  const Interesting& interesting_;
  const ShrinkOptions& o_;
  ShrinkStats* stats_;
};

}  // namespace

ScenarioSpec Shrink(const ScenarioSpec& failing, const Interesting& interesting, const ShrinkOptions& options, ShrinkStats* stats) {
  Shrinker s(failing, interesting, options, stats);
  return s.Run();
}

}  // namespace faultline::scenario
