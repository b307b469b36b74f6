// A sweep's per-seed results and what is made of them (design §10, §11;
// docs/runbook.md): the seed's status and failure signature, the summary
// that groups failures, the JUnit XML a CI system reads, and the text a
// person reads. Pure functions of their inputs, apart from wall times,
// which appear only in SeedResult.wall_ms and JUnit's time attributes: so
// shards merged equal one sweep of the same seeds (ADR 0011).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/report/proto_json.h"  // JsonLine and ParseJsonLine, for sweep files
#include "sim/report/sweep.pb.h"
#include "sim/scenario/runner.h"

namespace faultline::report {

// results.jsonl (read from `file`): one SeedResult per line, blank lines
// skipped, in file order. A line must parse, carry a known status and a
// finite, non-negative wall_ms, and name a seed no earlier line did; an
// error names FILE:LINE.
Result<std::vector<SeedResult>> ParseSeedResults(std::string_view text, const std::string& file);

// The seed's result: its status (sweep.proto), the checks that did not
// hold, its signature and the statistics compare pools. `run_dir` is set
// by the caller when it wrote one.
SeedResult SeedResultOf(const scenario::RunResult& run, double wall_ms);

// A seed whose worker did not report: status "crash" or "timeout", with
// the tail of what it wrote on stderr.
SeedResult WorkerFailure(uint64_t seed, std::string_view status, std::string_view error, double wall_ms);

// What groups failures: for "fail", the unexpected failed checks, each with
// the kinds of operation its evidence points at ("linearizable[read,write]",
// or just the name when it points at none, joined by " + "); "unknown: CHECK"; "crash: WHAT" from the worker's last
// line with numbers that vary (addresses) blanked; "timeout". Empty for
// pass and expected.
std::string Signature(const SeedResult& r);

// Seeds in A:B (inclusive) that shard I of K runs: seed % K == I.
std::vector<uint64_t> ShardSeeds(uint64_t first, uint64_t last, uint32_t index, uint32_t count);

// The command that reruns one seed of the sweep from scratch:
// "faultline run FILE --seed N --set k=v ...", shell-quoted where needed.
std::string ReproduceCommand(const SweepInfo& info, uint64_t seed);

// Results are sorted by seed; `planned` is every seed the sweep (or the
// merged shards) meant to run.
SweepSummary Summarize(const SweepInfo& info, const std::vector<SeedResult>& results, const std::vector<uint64_t>& planned);

// The sweep's exit code from its summary: 0 when no seed failed, else 70
// if a worker crashed or timed out, 1 for a safety failure, 4 for only
// liveness failures, 5 for only unknown verdicts (docs/runbook.md).
int SweepExitCode(const SweepSummary& summary, const std::vector<SeedResult>& results);

// JUnit XML: one testsuite, one testcase per seed run; "fail" and
// "unknown" seeds carry <failure>, "crash" and "timeout" seeds <error>,
// with the check, its evidence, the reproduce command and the run dir.
std::string JUnitXml(const SweepInfo& info, const std::vector<SeedResult>& results);

// The summary as a person reads it on the terminal (summary.txt).
std::string SummaryText(const SweepSummary& summary);

}  // namespace faultline::report
