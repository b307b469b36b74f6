#include "sim/cli/sweep_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/strings.h"
#include "sim/report/sweep_report.h"

namespace faultline::cli {
namespace {

namespace fs = std::filesystem;

Result<std::string> Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument(Cat(path.string(), ": cannot read (is this a sweep's output directory?)"));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string FailureDir(uint64_t seed) { return Cat("failures/seed-", seed); }

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Status(Error::kIoError, Cat(tmp, ": cannot write"));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status(Error::kIoError, Cat(path, ": cannot rename into place (", ec.message(), ")"));
  return Status::Ok();
}

Status PrepareSweepDir(const std::string& dir, const report::SweepInfo& info) {
  std::error_code ec;
  const fs::path d(dir);
  if (fs::exists(d, ec)) {
    if (!fs::is_directory(d, ec)) return InvalidArgument(Cat("--out ", dir, ": exists and is not a directory"));
    if (!fs::is_empty(d, ec) && !fs::exists(d / "sweep.json", ec)) {
      return InvalidArgument(Cat("--out ", dir, ": a non-empty directory that is not a sweep's (no sweep.json); not touching it"));
    }
    fs::remove_all(d, ec);
    if (ec) return Status(Error::kIoError, Cat(dir, ": cannot clear the earlier sweep (", ec.message(), ")"));
  }
  fs::create_directories(d, ec);
  if (ec) return Status(Error::kIoError, Cat(dir, ": cannot create (", ec.message(), ")"));
  return WriteFileAtomically((d / "sweep.json").string(), report::JsonLine(info) + "\n");
}

Result<SweepDir> ReadSweepDir(const std::string& dir) {
  SweepDir out;
  out.path = dir;
  const fs::path d(dir);
  Result<std::string> info = Read(d / "sweep.json");
  if (!info.ok()) return info.status();
  std::string_view first(*info);
  while (!first.empty() && (first.back() == '\n' || first.back() == '\r')) first.remove_suffix(1);
  if (Status s = report::ParseJsonLine(first, (d / "sweep.json").string(), 1, &out.info); !s.ok()) return s;
  Result<std::string> lines = Read(d / "results.jsonl");
  if (!lines.ok()) return lines.status();
  Result<std::vector<report::SeedResult>> results = report::ParseSeedResults(*lines, (d / "results.jsonl").string());
  if (!results.ok()) return results.status();
  out.results = std::move(*results);
  // What merge trusts of each line: the seed is one this shard ran, and its
  // run directory is where a sweep puts it (merge copies from there).
  const report::SweepInfo& i = out.info;
  for (const report::SeedResult& r : out.results) {
    const bool ours = r.seed() >= i.first_seed() && r.seed() <= i.last_seed() &&
                      (i.shard_count() == 0 || r.seed() % i.shard_count() == i.shard_index());
    if (!ours) {
      return InvalidArgument(Cat(dir, "/results.jsonl: seed ", r.seed(), " is not one this sweep ran (seeds ", i.first_seed(), ":", i.last_seed(),
                                 ", shard ", i.shard_index(), "/", i.shard_count(), ")"));
    }
    if (!r.run_dir().empty() && r.run_dir() != FailureDir(r.seed())) {
      return InvalidArgument(Cat(dir, "/results.jsonl: seed ", r.seed(), " has run_dir \"", r.run_dir(), "\" (expected \"", FailureDir(r.seed()), "\" or none)"));
    }
  }
  std::sort(out.results.begin(), out.results.end(),
            [](const report::SeedResult& a, const report::SeedResult& b) { return a.seed() < b.seed(); });
  return out;
}

Result<report::SweepSummary> WriteSweepOutputs(const std::string& dir, const report::SweepInfo& info,
                                              std::vector<report::SeedResult>* results,
                                              const std::vector<uint64_t>& planned, const std::string& extra_junit) {
  std::sort(results->begin(), results->end(),
            [](const report::SeedResult& a, const report::SeedResult& b) { return a.seed() < b.seed(); });
  const fs::path d(dir);
  std::string lines;
  for (const report::SeedResult& r : *results) Append(&lines, report::JsonLine(r), "\n");
  report::SweepSummary summary = report::Summarize(info, *results, planned);
  const std::string junit = report::JUnitXml(info, *results);
  const std::pair<const char*, std::string> files[] = {
      {"results.jsonl", lines},
      {"summary.json", report::JsonPretty(summary) + "\n"},
      {"summary.txt", report::SummaryText(summary)},
      {"junit.xml", junit},
  };
  for (const auto& [name, text] : files) {
    if (Status s = WriteFileAtomically((d / name).string(), text); !s.ok()) return s;
  }
  if (!extra_junit.empty()) {
    if (Status s = WriteFileAtomically(extra_junit, junit); !s.ok()) return s;
  }
  return summary;
}

}  // namespace faultline::cli
