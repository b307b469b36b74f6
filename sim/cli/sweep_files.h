// A sweep's output directory (docs/runbook.md), written by sweep and merge
// and read by merge and compare:
//
//   sweep.json        SweepInfo: scenario, --set values, seed range, shard
//   results.jsonl     one SeedResult per seed run, sorted by seed
//   summary.json      SweepSummary
//   summary.txt       the same, as printed on the terminal
//   junit.xml         one testcase per seed
//   failures/seed-N/  a run directory for each failing seed
//
// While a sweep runs, results.jsonl grows one line per finished seed (in
// the order they finish), so a sweep killed outright still leaves them;
// the final files are written through a temporary name and renamed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/sweep.pb.h"

namespace faultline::cli {

struct SweepDir {
  std::string path;
  report::SweepInfo info;
  std::vector<report::SeedResult> results;  // sorted by seed
};

// Prepares `dir` for a new sweep: creates it, or empties it when it holds
// an earlier sweep (sweep.json); refuses a non-empty directory that is not
// a sweep's, so a typo in --out never deletes someone's files.
Status PrepareSweepDir(const std::string& dir, const report::SweepInfo& info);

// Reads sweep.json and results.jsonl; errors name the file and the line.
// Each result must be a seed of the sweep's range and shard, with its run
// directory, if any, at FailureDir(seed).
Result<SweepDir> ReadSweepDir(const std::string& dir);

// Writes the final files (results sorted, summary, junit; also to
// `extra_junit` when not empty) and returns the summary.
Result<report::SweepSummary> WriteSweepOutputs(const std::string& dir, const report::SweepInfo& info,
                                              std::vector<report::SeedResult>* results,
                                              const std::vector<uint64_t>& planned, const std::string& extra_junit);

// Writes `text` to `path` through path.tmp and a rename.
Status WriteFileAtomically(const std::string& path, const std::string& text);

// "failures/seed-N": where a failing seed's run directory goes.
std::string FailureDir(uint64_t seed);

}  // namespace faultline::cli
