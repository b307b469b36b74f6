#include "sim/report/compare_table.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "sim/core/strings.h"
#include "sim/report/sweep_stats.h"

namespace faultline::report {
namespace {

std::string Row(const std::vector<std::string>& cells) { return Cat("| ", Join(cells, " | "), " |\n"); }

std::string Rule(size_t n) {
  std::vector<std::string> cells(n, "---");
  return Row(cells);
}

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

int64_t Median(std::vector<int64_t> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v[(v.size() - 1) / 2];
}

std::vector<std::string> CheckNames(const std::vector<CompareColumn>& columns) {
  std::vector<std::string> names;
  auto add = [&names](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const CompareColumn& c : columns) {
    for (const std::string& n : c.summary.info().checks()) add(n);
    for (const CheckCount& n : c.summary.checks()) add(n.name());
  }
  return names;
}

std::vector<std::string> KindNames(const std::vector<CompareColumn>& columns) {
  absl::btree_set<std::string> kinds;
  for (const CompareColumn& c : columns) {
    for (const SeedResult& r : c.results) {
      for (const KindStats& k : r.kinds()) kinds.insert(k.kind());
    }
  }
  return {kinds.begin(), kinds.end()};
}

std::string ViolationCell(const CompareColumn& c, const std::string& check) {
  uint64_t failed = 0, unknown = 0;
  std::vector<int64_t> first;
  bool expected = false;
  for (const SeedResult& r : c.results) {
    for (const FailedCheck& f : r.checks()) {
      if (f.name() != check) continue;
      expected |= f.expected();
      if (f.verdict() == "unknown") {
        ++unknown;
        continue;
      }
      ++failed;
      if (f.first_violation_ns() >= 0) first.push_back(f.first_violation_ns());
    }
  }
  std::string cell = Cat(failed, "/", c.results.size());
  if (unknown > 0) Append(&cell, " (+", unknown, " unknown)");
  if (!first.empty()) Append(&cell, ", first at ", ShortDuration(Median(first)));
  if (expected) cell += " (expected)";
  return cell;
}

struct KindTotals {
  uint64_t during = 0, during_ok = 0, ok = 0, all = 0;
  std::vector<Bucket> latency;
};

absl::btree_map<std::string, KindTotals> Totals(const CompareColumn& c) {
  absl::btree_map<std::string, KindTotals> out;
  for (const SeedResult& r : c.results) {
    for (const KindStats& k : r.kinds()) {
      KindTotals& t = out[k.kind()];
      t.during += k.during_faults();
      t.during_ok += k.during_faults_ok();
      t.ok += k.ok();
      t.all += k.ok() + k.fail() + k.info();
      AddBuckets(&t.latency, k.latency());
    }
  }
  return out;
}

std::string Header(const std::string& first, const std::vector<std::string>& rest) {
  std::vector<std::string> cells{first};
  cells.insert(cells.end(), rest.begin(), rest.end());
  return Row(cells) + Rule(cells.size());
}

// One row per column: its label, a cell per operation kind (`cell` gets
// nullptr for a kind the column never ran), then `last`'s cell if given.
std::string KindRows(const std::vector<CompareColumn>& columns, const std::vector<absl::btree_map<std::string, KindTotals>>& totals_of,
                     const std::vector<std::string>& kinds, const std::function<std::string(const KindTotals*)>& cell,
                     const std::function<std::string(const CompareColumn&)>& last = {}) {
  std::string md;
  for (size_t i = 0; i < columns.size(); ++i) {
    std::vector<std::string> cells{columns[i].label};
    for (const std::string& k : kinds) {
      auto it = totals_of[i].find(k);
      cells.push_back(cell(it == totals_of[i].end() ? nullptr : &it->second));
    }
    if (last) cells.push_back(last(columns[i]));
    md += Row(cells);
  }
  return md;
}

}  // namespace

std::string ShortDuration(int64_t ns) {
  char buf[32];
  const double v = static_cast<double>(ns);
  if (ns < 1'000) std::snprintf(buf, sizeof buf, "%lld ns", static_cast<long long>(ns));
  else if (ns < 1'000'000) std::snprintf(buf, sizeof buf, "%.3g µs", v / 1e3);
  else if (ns < 1'000'000'000) std::snprintf(buf, sizeof buf, "%.3g ms", v / 1e6);
  else std::snprintf(buf, sizeof buf, "%.3g s", v / 1e9);
  return buf;
}

std::string CompareMarkdown(const std::string& command, const std::vector<CompareColumn>& columns) {
  if (columns.empty()) return "";
  const SweepInfo& info = columns[0].summary.info();
  std::string md = Cat("## ", info.name(), " (", info.model(), "): seeds ", info.first_seed(), ":", info.last_seed(), "\n\n");
  Append(&md, "`", command, "`\n\n");
  const std::vector<std::string> checks = CheckNames(columns);
  const std::vector<std::string> kinds = KindNames(columns);
  std::vector<absl::btree_map<std::string, KindTotals>> totals_of;  // per column: pooled once, read by two tables
  for (const CompareColumn& c : columns) totals_of.push_back(Totals(c));

  md += "Violations: seeds in which the check failed / seeds run, with the median virtual time of the first violation.\n\n";
  std::vector<std::string> head = checks;
  head.push_back("crash or timeout");
  md += Header("", head);
  for (const CompareColumn& c : columns) {
    std::vector<std::string> cells{c.label};
    for (const std::string& check : checks) cells.push_back(ViolationCell(c, check));
    cells.push_back(Cat(c.summary.crash() + c.summary.timeout(), "/", c.results.size()));
    md += Row(cells);
  }

  md += "\nAvailability during faults: operations acknowledged / invoked while a fault was active (all seeds pooled), "
        "and the share of virtual time with a fault active.\n\n";
  head = kinds;
  head.push_back("time under faults");
  md += Header("", head);
  md += KindRows(columns, totals_of, kinds, [](const KindTotals* t) {
    return t == nullptr ? std::string("–") : Cat(Percent(t->during_ok, t->during), " of ", t->during);
  }, [](const CompareColumn& c) {
    int64_t fault_ns = 0, sim_ns = 0;
    for (const SeedResult& r : c.results) {
      fault_ns += r.fault_ns();
      sim_ns += r.sim_ns();
    }
    return Percent(static_cast<uint64_t>(fault_ns), static_cast<uint64_t>(sim_ns));
  });

  md += "\nLatency of acknowledged operations, p50 / p99 in virtual time (all seeds pooled, to about 3%).\n\n";
  md += Header("", kinds);
  md += KindRows(columns, totals_of, kinds, [](const KindTotals* t) {
    if (t == nullptr || t->ok == 0) return std::string("–");
    return Cat(ShortDuration(Quantile(t->latency, 0.5)), " / ", ShortDuration(Quantile(t->latency, 0.99)));
  });

  md += "\nCost: messages sent per operation, operations per seed, and wall time per seed (median).\n\n";
  md += Header("", {"messages per operation", "operations per seed", "wall time per seed"});
  for (const CompareColumn& c : columns) {
    uint64_t messages = 0, ops = 0;
    std::vector<int64_t> wall;
    for (const SeedResult& r : c.results) {
      messages += r.messages_sent();
      ops += r.ops();
      wall.push_back(static_cast<int64_t>(r.wall_ms() * 1e6));
    }
    char per_op[32];
    std::snprintf(per_op, sizeof per_op, "%.1f", ops == 0 ? 0.0 : static_cast<double>(messages) / static_cast<double>(ops));
    const uint64_t n = c.results.empty() ? 1 : c.results.size();
    md += Row({c.label, per_op, Cat(ops / n), wall.empty() ? "–" : ShortDuration(Median(wall))});
  }
  return md;
}

}  // namespace faultline::report
