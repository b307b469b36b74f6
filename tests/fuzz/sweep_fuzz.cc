// Fuzzes what sweep, merge, compare, replay and shrink read from outside:
// --seeds and --shard values, the schedulers' numbers, a repro.lua's
// header, results.jsonl and sweep.json, and a crashed worker's stderr.
// Whatever the input, a parser returns a value or an error naming its
// source; what it accepts prints back to text that parses to the same
// value; and whatever merge would accept summarizes and renders as JUnit
// that is well-formed XML text, and as the compare table.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cli/flags.h"
#include "sim/cli/seed_range.h"
#include "sim/core/numbers.h"
#include "sim/core/strings.h"
#include "sim/core/time.h"
#include "sim/core/utf8.h"
#include "sim/report/compare_table.h"
#include "sim/report/sweep_report.h"
#include "sim/scenario/repro.h"
#include "tests/fuzz/fuzz_target.h"

namespace faultline {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// XML 1.0 character data: UTF-8, and no control characters but tab,
// newline and carriage return, no U+FFFE or U+FFFF.
bool XmlText(std::string_view s) {
  while (!s.empty()) {
    const size_t n = Utf8SequenceLength(s);
    if (n == 0) return false;
    const std::string_view seq = s.substr(0, n);
    if (n == 1 && static_cast<unsigned char>(seq[0]) < 0x20 && seq[0] != '\t' && seq[0] != '\n' && seq[0] != '\r') return false;
    if (seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF") return false;
    s.remove_prefix(n);
  }
  return true;
}

void CheckNumbers(std::string_view text) {
  Result<uint64_t> n = ParseUint(text, "N");
  if (n.ok()) {
    FUZZ_CHECK(*ParseUint(Cat(*n), "N") == *n && *ParseUint(HexWord(*n), "N") == *n);
  } else {
    FUZZ_CHECK(n.code() == Error::kInvalidArgument && StartsWith(n.status().message(), "N: "));
  }
  Result<std::pair<uint64_t, uint64_t>> seeds = cli::ParseSeeds(text);
  if (seeds.ok()) {
    FUZZ_CHECK(seeds->first <= seeds->second);
    FUZZ_CHECK(*cli::ParseSeeds(Cat(seeds->first, ":", seeds->second)) == *seeds);
  } else {
    FUZZ_CHECK(StartsWith(seeds.status().message(), "--seeds"));
  }
  Result<std::pair<uint32_t, uint32_t>> shard = cli::ParseShard(text);
  if (shard.ok()) {
    FUZZ_CHECK(shard->first < shard->second && shard->second <= cli::kMaxShards);
    FUZZ_CHECK(*cli::ParseShard(Cat(shard->first, "/", shard->second)) == *shard);
  } else {
    FUZZ_CHECK(StartsWith(shard.status().message(), "--shard"));
  }
}

void CheckReproHeader(std::string_view text) {
  Result<std::optional<scenario::ReproHeader>> h = scenario::ParseReproHeader(text, "f.lua");
  if (!h.ok()) {
    FUZZ_CHECK(h.code() == Error::kInvalidArgument && StartsWith(h.status().message(), "f.lua:"));
    return;
  }
  if (!h->has_value()) return;
  Result<std::optional<scenario::ReproHeader>> again = scenario::ParseReproHeader(scenario::ReproHeaderLine(**h), "g.lua");
  FUZZ_CHECK(again.ok() && again->has_value() && **again == **h);
}

void CheckFlags(std::string_view text) {
  std::vector<std::string> args;
  for (size_t at = 0; at <= text.size();) {
    const size_t nl = std::min(text.find('\n', at), text.size());
    args.emplace_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  Status repeated;
  (void)TakeRepeated(args, "set", &repeated);
  for (const std::string& a : args) FUZZ_CHECK(a != "--set" && !StartsWith(a, "--set="));
  Flags flags;
  flags.Declare("jobs", "", "1");
  flags.Declare("timeout", "", "10m");
  if (!flags.Parse(args).ok()) return;
  if (Result<uint64_t> jobs = flags.GetUint("jobs"); jobs.ok()) {
    Flags again;
    again.Declare("jobs", "", "1");
    FUZZ_CHECK(again.Parse({Cat("--jobs=", *jobs)}).ok() && *again.GetUint("jobs") == *jobs);
  }
  if (Result<Duration> d = flags.GetDuration("timeout"); d.ok()) FUZZ_CHECK(*ParseDuration(FormatDuration(*d)) == *d);
}

// What merge does with the files it reads, and compare with the results.
void CheckRendering(const report::SweepInfo& info, std::vector<report::SeedResult> results) {
  std::sort(results.begin(), results.end(),
            [](const report::SeedResult& a, const report::SeedResult& b) { return a.seed() < b.seed(); });
  std::vector<uint64_t> planned;
  for (const report::SeedResult& r : results) planned.push_back(r.seed());
  uint64_t missing = 0;  // the smallest seed not run: the summary must list it
  while (std::binary_search(planned.begin(), planned.end(), missing)) ++missing;
  planned.insert(std::lower_bound(planned.begin(), planned.end(), missing), missing);
  const report::SweepSummary summary = report::Summarize(info, results, planned);
  FUZZ_CHECK(!summary.complete() && summary.missing_seeds_size() >= 1 && summary.missing_seeds(0) == missing);
  FUZZ_CHECK(summary.seeds_run() == results.size());
  FUZZ_CHECK(XmlText(report::JUnitXml(info, results)));
  FUZZ_CHECK(ToValidUtf8(report::SummaryText(summary)) == report::SummaryText(summary));
  const std::string md = report::CompareMarkdown("faultline compare fuzz", {{"v=1", summary, results}});
  FUZZ_CHECK(ToValidUtf8(md) == md);
}

void CheckSweepFiles(std::string_view text) {
  Result<std::vector<report::SeedResult>> all = report::ParseSeedResults(text, "r.jsonl");
  if (all.ok()) {
    for (const report::SeedResult& r : *all) {
      Result<std::vector<report::SeedResult>> again = report::ParseSeedResults(report::JsonLine(r), "again.jsonl");
      FUZZ_CHECK(again.ok() && again->size() == 1 && report::JsonLine((*again)[0]) == report::JsonLine(r));
    }
    CheckRendering(report::SweepInfo(), *all);
  } else {
    FUZZ_CHECK(all.code() == Error::kInvalidArgument && StartsWith(all.status().message(), "r.jsonl:"));
  }
  // sweep.json, then results: as merge reads a directory.
  const size_t nl = text.find('\n');
  report::SweepInfo info;
  if (!report::ParseJsonLine(text.substr(0, nl), "sweep.json", 1, &info).ok() || nl == std::string_view::npos) return;
  Result<std::vector<report::SeedResult>> rest = report::ParseSeedResults(text.substr(nl + 1), "results.jsonl");
  if (rest.ok()) CheckRendering(info, *rest);
}

// A crashed worker's stderr, whatever its bytes, goes through the files
// intact enough to group and render.
void CheckWorkerError(std::string_view text) {
  const report::SeedResult r = report::WorkerFailure(7, "crash", text, 1.5);
  FUZZ_CHECK(ToValidUtf8(r.worker_error()) == r.worker_error() && ToValidUtf8(r.signature()) == r.signature());
  Result<std::vector<report::SeedResult>> again = report::ParseSeedResults(report::JsonLine(r), "crash.jsonl");
  FUZZ_CHECK(again.ok() && again->size() == 1 && (*again)[0].worker_error() == r.worker_error());
  FUZZ_CHECK(report::Signature((*again)[0]) == r.signature());
  FUZZ_CHECK(XmlText(report::JUnitXml(report::SweepInfo(), *again)));
}

}  // namespace

FAULTLINE_FUZZ_TARGET(FuzzSweep) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckNumbers(text);
  CheckReproHeader(text);
  CheckFlags(text);
  CheckSweepFiles(text);
  CheckWorkerError(text);
  return 0;
}

}  // namespace faultline
