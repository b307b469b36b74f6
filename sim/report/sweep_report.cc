#include "sim/report/sweep_report.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "sim/core/strings.h"
#include "sim/core/utf8.h"
#include "sim/report/sweep_stats.h"

namespace faultline::report {
namespace {

constexpr size_t kEvidenceLines = 5;
constexpr size_t kGroupSeeds = 20;
constexpr size_t kMissingListed = 100;

bool Expected(const scenario::ScenarioSpec& spec, const std::string& check) {
  return std::find(spec.expect.begin(), spec.expect.end(), check) != spec.expect.end();
}

FailedCheck Failed(const scenario::RunResult& run, const scenario::CheckOutcome& c) {
  FailedCheck f;
  f.set_name(c.name);
  f.set_verdict(std::string(VerdictName(c.verdict)));
  f.set_liveness(c.liveness);
  f.set_expected(Expected(run.spec, c.name));
  f.set_message(c.message);
  for (size_t i = 0; i < c.evidence.size() && i < kEvidenceLines; ++i) f.add_evidence(c.evidence[i]);
  absl::btree_set<std::string> kinds;
  for (size_t op : c.ops) {
    if (op < run.history.ops.size()) kinds.insert(run.history.ops[op].f);
  }
  for (const std::string& k : kinds) f.add_op_kinds(k);
  f.set_first_violation_ns(c.first_violation_ns);
  return f;
}

std::string StatusOf(const SeedResult& r) {
  bool unexpected = false, unknown = false, expected = false;
  for (const FailedCheck& c : r.checks()) {
    if (c.verdict() == "unknown") unknown = true;
    else if (c.expected()) expected = true;
    else unexpected = true;
  }
  return unexpected ? "fail" : unknown ? "unknown" : expected ? "expected" : "pass";
}

// Digit runs in hex addresses and in "pid 1234" vary between crashes of the
// same bug; file:line does not, so only 0x... runs are blanked.
std::string Normalize(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '0' && i + 1 < line.size() && line[i + 1] == 'x') {
      out += "0x_";
      i += 2;
      while (i < line.size() && std::isxdigit(static_cast<unsigned char>(line[i]))) ++i;
      --i;
      continue;
    }
    out += line[i];
  }
  return std::string(Utf8Prefix(out, 160));
}

std::string LastLine(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  const size_t nl = text.rfind('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
}

bool ShellSafe(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-_./=:,+@%").find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::string ShellQuote(std::string_view s) {
  if (ShellSafe(s)) return std::string(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// XML 1.0 text: the five entities escaped; control characters other than
// tab and newline dropped (they are not allowed even as references); bytes
// that are not UTF-8, and U+FFFE/U+FFFF, become U+FFFD.
std::string Xml(std::string_view s) {
  std::string out;
  while (!s.empty()) {
    const size_t n = Utf8SequenceLength(s);
    const std::string_view seq = s.substr(0, n == 0 ? 1 : n);
    s.remove_prefix(seq.size());
    if (n == 0 || seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF") {
      out += "\xEF\xBF\xBD";
      continue;
    }
    switch (seq[0]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(seq[0]) >= 0x20 || seq[0] == '\n' || seq[0] == '\t') out += seq;
    }
  }
  return out;
}

std::string Seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

// "faultline.kit.raft-partition" for scenarios/kit/raft-partition.lua: CI
// systems split a classname on dots into a package tree.
std::string ClassName(const SweepInfo& info) {
  std::string path = info.scenario();
  if (size_t at = path.rfind("scenarios/"); at != std::string::npos) path = path.substr(at + 10);
  if (path.size() > 4 && path.ends_with(".lua")) path.resize(path.size() - 4);
  for (char& c : path) {
    if (c == '/' || c == ' ' || c == '.') c = c == '/' ? '.' : '_';
  }
  return Cat("faultline.", path);
}

std::string SuiteName(const SweepInfo& info) {
  std::string name = info.name();
  for (const std::string& s : info.sets()) name += Cat(" ", s);
  return name;
}

// The first failed check that is not expected (or the first at all), as
// one line: "linearizable: no linearization of 3 operations on key k1".
std::string FirstProblem(const SeedResult& r) {
  if (!r.worker_error().empty()) return LastLine(r.worker_error());
  for (const FailedCheck& c : r.checks()) {
    if (!c.expected()) return Cat(c.name(), ": ", c.message());
  }
  return r.checks().empty() ? std::string() : Cat(r.checks(0).name(), ": ", r.checks(0).message());
}

std::string FailureBody(const SweepInfo& info, const SeedResult& r) {
  std::string body;
  for (const FailedCheck& c : r.checks()) {
    Append(&body, c.name(), ": ", c.verdict(), c.expected() ? " (expected)" : "", c.liveness() ? " (liveness)" : "", ": ", c.message(), "\n");
    if (!c.op_kinds().empty()) Append(&body, "  operations: ", Join(c.op_kinds(), ", "), "\n");
    for (const std::string& e : c.evidence()) Append(&body, "  ", e, "\n");
  }
  if (!r.worker_error().empty()) Append(&body, "worker: ", r.worker_error(), "\n");
  Append(&body, "reproduce: ", ReproduceCommand(info, r.seed()), "\n");
  if (!r.run_dir().empty()) Append(&body, "run dir: ", r.run_dir(), " (in the sweep's output directory; faultline replay DIR checks it)\n");
  return body;
}

// What a results.jsonl line must hold beyond its JSON shape for merge to
// count it: a known status, a finite wall time, a seed no other line has.
Status CheckSeedResult(const SeedResult& r, const std::string& file, size_t line_no,
                       absl::btree_map<uint64_t, size_t>* first_line) {
  static constexpr std::string_view kStatuses[] = {"pass", "expected", "fail", "unknown", "crash", "timeout", "nondeterminism"};
  if (std::find(std::begin(kStatuses), std::end(kStatuses), r.status()) == std::end(kStatuses)) {
    return InvalidArgument(Cat(file, ":", line_no, ": status \"", r.status(), "\" (expected one of ", Join(kStatuses, ", "), ")"));
  }
  if (!std::isfinite(r.wall_ms()) || r.wall_ms() < 0) {
    return InvalidArgument(Cat(file, ":", line_no, ": wall_ms ", r.wall_ms(), " (expected a non-negative number)"));
  }
  const auto [at, fresh] = first_line->emplace(r.seed(), line_no);
  if (!fresh) return InvalidArgument(Cat(file, ":", line_no, ": seed ", r.seed(), " again (first on line ", at->second, ")"));
  return Status::Ok();
}

}  // namespace

SeedResult SeedResultOf(const scenario::RunResult& run, double wall_ms) {
  SeedResult r;
  r.set_seed(run.seed);
  r.set_exit_code(run.exit_code);
  for (const scenario::CheckOutcome& c : run.checks) {
    if (c.verdict != Verdict::kOk) *r.add_checks() = Failed(run, c);
  }
  r.set_status(StatusOf(r));
  r.set_signature(Signature(r));
  r.set_trace_hash(HexWord(run.trace_hash));
  r.set_sim_ns(run.end_ns);
  r.set_events(run.events);
  r.set_messages_sent(run.net.sent);
  r.set_ops(run.ok + run.fail + run.info);
  r.set_faults(run.faults.size());
  const std::vector<Interval> windows = FaultWindows(run);
  int64_t fault_ns = 0;
  for (const Interval& w : windows) fault_ns += w.end - w.begin;
  r.set_fault_ns(fault_ns);
  for (KindStats& k : KindStatistics(run, windows)) *r.add_kinds() = std::move(k);
  r.set_wall_ms(wall_ms);
  return r;
}

Result<std::vector<SeedResult>> ParseSeedResults(std::string_view text, const std::string& file) {
  std::vector<SeedResult> out;
  absl::btree_map<uint64_t, size_t> first_line;  // seed -> the line that had it
  for (size_t line_no = 1; !text.empty(); ++line_no) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    SeedResult r;
    if (Status s = ParseJsonLine(line, file, line_no, &r); !s.ok()) return s;
    if (Status s = CheckSeedResult(r, file, line_no, &first_line); !s.ok()) return s;
    out.push_back(std::move(r));
  }
  return out;
}

SeedResult WorkerFailure(uint64_t seed, std::string_view status, std::string_view error, double wall_ms) {
  SeedResult r;
  r.set_seed(seed);
  r.set_status(std::string(status));
  r.set_exit_code(70);
  r.set_worker_error(ToValidUtf8(error));  // stderr may hold any bytes; JSON and XML take UTF-8
  r.set_signature(Signature(r));
  r.set_wall_ms(wall_ms);
  return r;
}

std::string Signature(const SeedResult& r) {
  const std::string& s = r.status();
  if (s == "timeout") return "timeout";
  if (s == "crash") return Cat("crash: ", Normalize(LastLine(r.worker_error())));
  if (s == "nondeterminism") return "nondeterminism";
  std::vector<std::string> parts;
  for (const FailedCheck& c : r.checks()) {
    if (s == "fail" && !c.expected() && c.verdict() == "violation") {
      parts.push_back(c.op_kinds().empty() ? c.name() : Cat(c.name(), "[", Join(c.op_kinds(), ","), "]"));
    }
    if (s == "unknown" && c.verdict() == "unknown") parts.push_back(Cat("unknown: ", c.name()));
  }
  return Join(parts, " + ");
}

std::vector<uint64_t> ShardSeeds(uint64_t first, uint64_t last, uint32_t index, uint32_t count) {
  std::vector<uint64_t> out;
  for (uint64_t s = first;; ++s) {
    if (count == 0 || s % count == index) out.push_back(s);
    if (s == last) break;
  }
  return out;
}

std::string ReproduceCommand(const SweepInfo& info, uint64_t seed) {
  std::string cmd = Cat("faultline run ", ShellQuote(info.scenario()), " --seed ", seed);
  for (const std::string& s : info.sets()) Append(&cmd, " --set ", ShellQuote(s));
  return cmd;
}

SweepSummary Summarize(const SweepInfo& info, const std::vector<SeedResult>& results, const std::vector<uint64_t>& planned) {
  SweepSummary out;
  *out.mutable_info() = info;
  out.set_seeds_planned(planned.size());
  out.set_seeds_run(results.size());
  absl::btree_map<std::string, CheckCount> checks;
  struct Group {
    FailureGroup g;
    const SeedResult* first = nullptr;
  };
  absl::btree_map<std::string, Group> groups;
  absl::btree_set<uint64_t> ran;
  for (const SeedResult& r : results) {
    ran.insert(r.seed());
    const std::string& s = r.status();
    if (s == "pass") out.set_pass(out.pass() + 1);
    else if (s == "expected") out.set_expected(out.expected() + 1);
    else if (s == "fail") out.set_fail(out.fail() + 1);
    else if (s == "unknown") out.set_unknown(out.unknown() + 1);
    else if (s == "timeout") out.set_timeout(out.timeout() + 1);
    else out.set_crash(out.crash() + 1);  // crash, nondeterminism
    for (const FailedCheck& c : r.checks()) {
      CheckCount& n = checks[c.name()];
      n.set_name(c.name());
      n.set_expected(c.expected());
      if (c.verdict() == "unknown") n.set_unknown(n.unknown() + 1);
      else n.set_failed(n.failed() + 1);
    }
    if (s == "pass" || s == "expected") continue;
    Group& g = groups[Cat(s, "\n", r.signature())];
    if (g.first == nullptr || r.seed() < g.first->seed()) g.first = &r;
    g.g.set_count(g.g.count() + 1);
    g.g.add_seeds(r.seed());
  }
  for (const std::string& e : info.expect()) {
    CheckCount& n = checks[e];
    n.set_name(e);
    n.set_expected(true);
  }
  for (auto& [name, n] : checks) *out.add_checks() = n;
  std::vector<FailureGroup> list;
  for (auto& [key, g] : groups) {
    FailureGroup f = g.g;
    std::vector<uint64_t> seeds(f.seeds().begin(), f.seeds().end());
    std::sort(seeds.begin(), seeds.end());
    f.clear_seeds();
    for (size_t i = 0; i < seeds.size() && i < kGroupSeeds; ++i) f.add_seeds(seeds[i]);
    f.set_signature(g.first->signature());
    f.set_status(g.first->status());
    f.set_smallest_seed(g.first->seed());
    f.set_message(FirstProblem(*g.first));
    f.set_reproduce(ReproduceCommand(info, g.first->seed()));
    f.set_run_dir(g.first->run_dir());
    list.push_back(std::move(f));
  }
  std::stable_sort(list.begin(), list.end(), [](const FailureGroup& a, const FailureGroup& b) {
    return a.count() != b.count() ? a.count() > b.count() : a.smallest_seed() < b.smallest_seed();
  });
  for (FailureGroup& f : list) *out.add_groups() = std::move(f);
  size_t missing = 0;
  for (uint64_t s : planned) {
    if (ran.contains(s)) continue;
    if (missing++ < kMissingListed) out.add_missing_seeds(s);
  }
  out.set_complete(missing == 0);
  out.set_exit_code(SweepExitCode(out, results));
  return out;
}

int SweepExitCode(const SweepSummary& summary, const std::vector<SeedResult>& results) {
  if (summary.crash() + summary.timeout() > 0) return 70;
  bool safety = false, liveness = false;
  for (const SeedResult& r : results) {
    if (r.status() != "fail") continue;
    for (const FailedCheck& c : r.checks()) {
      if (c.expected() || c.verdict() != "violation") continue;
      (c.liveness() ? liveness : safety) = true;
    }
  }
  return safety ? 1 : liveness ? 4 : summary.unknown() > 0 ? 5 : 0;
}

std::string JUnitXml(const SweepInfo& info, const std::vector<SeedResult>& results) {
  size_t failures = 0, errors = 0;
  double wall_ms = 0;
  for (const SeedResult& r : results) {
    failures += r.status() == "fail" || r.status() == "unknown";
    errors += r.status() == "crash" || r.status() == "timeout" || r.status() == "nondeterminism";
    wall_ms += r.wall_ms();
  }
  const std::string suite = Xml(SuiteName(info));
  const std::string classname = Xml(ClassName(info));
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  Append(&x, "<testsuites name=\"faultline sweep\" tests=\"", results.size(), "\" failures=\"", failures, "\" errors=\"", errors,
         "\" time=\"", Seconds(wall_ms), "\">\n");
  Append(&x, "  <testsuite name=\"", suite, "\" tests=\"", results.size(), "\" failures=\"", failures, "\" errors=\"", errors,
         "\" skipped=\"0\" time=\"", Seconds(wall_ms), "\">\n");
  Append(&x, "    <properties>\n      <property name=\"scenario\" value=\"", Xml(info.scenario()), "\"/>\n");
  Append(&x, "      <property name=\"model\" value=\"", Xml(info.model()), "\"/>\n");
  Append(&x, "      <property name=\"seeds\" value=\"", info.first_seed(), ":", info.last_seed(), "\"/>\n");
  for (const std::string& s : info.sets()) Append(&x, "      <property name=\"set\" value=\"", Xml(s), "\"/>\n");
  Append(&x, "    </properties>\n");
  for (const SeedResult& r : results) {
    Append(&x, "    <testcase name=\"seed ", r.seed(), "\" classname=\"", classname, "\" time=\"", Seconds(r.wall_ms()), "\"");
    const std::string& s = r.status();
    if (s == "pass") {
      x += "/>\n";
      continue;
    }
    x += ">\n";
    if (s == "expected") {
      std::vector<std::string> found;
      for (const FailedCheck& c : r.checks()) found.push_back(c.name());
      Append(&x, "      <system-out>", Xml(Cat("found the violations the scenario expects: ", Join(found, ", "))), "</system-out>\n");
    } else {
      const char* element = s == "fail" || s == "unknown" ? "failure" : "error";
      Append(&x, "      <", element, " message=\"", Xml(Cat(r.signature(), ": ", FirstProblem(r))), "\" type=\"", Xml(s), "\">",
             Xml(FailureBody(info, r)), "</", element, ">\n");
    }
    x += "    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

std::string SummaryText(const SweepSummary& s) {
  const SweepInfo& i = s.info();
  std::string t;
  Append(&t, "sweep        ", i.scenario(), " (", i.name(), ", model ", i.model(), ")");
  for (const std::string& set : i.sets()) Append(&t, " ", set);
  Append(&t, "\nseeds        ", i.first_seed(), ":", i.last_seed());
  if (i.shard_count() > 1) Append(&t, ", shard ", i.shard_index(), "/", i.shard_count());
  Append(&t, ": ", s.seeds_run(), " of ", s.seeds_planned(), " run", s.complete() ? "" : " (INCOMPLETE)", "\n");
  Append(&t, "outcomes     ", s.pass(), " pass, ", s.expected(), " expected, ", s.fail(), " fail, ", s.unknown(), " unknown, ",
         s.crash(), " crash, ", s.timeout(), " timeout\n");
  std::vector<std::string> checks;
  for (const CheckCount& c : s.checks()) {
    std::string line = Cat(c.name(), " ", c.failed(), "/", s.seeds_run());
    if (c.unknown() > 0) Append(&line, " (+", c.unknown(), " unknown)");
    if (c.expected()) line += " (expected)";
    checks.push_back(line);
  }
  Append(&t, "checks fail  ", checks.empty() ? std::string("none") : Join(checks, ", "), "\n");
  if (s.groups().empty()) {
    Append(&t, "failures     none\n");
  } else {
    Append(&t, "failures     ", s.groups_size(), s.groups_size() == 1 ? " group" : " groups", ", by signature\n");
  }
  for (const FailureGroup& g : s.groups()) {
    Append(&t, "  ", g.count(), g.count() == 1 ? " seed   " : " seeds  ", g.signature(), "\n");
    std::vector<std::string> seeds;
    for (uint64_t seed : g.seeds()) seeds.push_back(Cat(seed));
    Append(&t, "      seeds      ", Join(seeds, " "), g.count() > static_cast<uint64_t>(g.seeds_size()) ? " ..." : "", "\n");
    Append(&t, "      smallest   ", g.smallest_seed(), ": ", g.message(), "\n");
    Append(&t, "      reproduce  ", g.reproduce(), "\n");
    if (!g.run_dir().empty()) Append(&t, "      run dir    ", g.run_dir(), "\n");
  }
  if (!s.complete()) {
    std::vector<std::string> missing;
    for (uint64_t seed : s.missing_seeds()) missing.push_back(Cat(seed));
    Append(&t, "missing      ", Join(missing, " "), s.seeds_planned() - s.seeds_run() > static_cast<uint64_t>(s.missing_seeds_size()) ? " ..." : "", "\n");
  }
  Append(&t, "exit code    ", s.exit_code(), "\n");
  return t;
}

}  // namespace faultline::report
