// The figures a sweep keeps per seed so that `compare` can pool them over
// seeds (sweep.proto): per operation kind, how many operations were
// acknowledged, and how many of those invoked while a fault was active;
// latencies in a log-bucketed histogram, so pooled percentiles are exact
// to one bucket (about 3%) whatever the number of seeds.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/report/sweep.pb.h"
#include "sim/scenario/runner.h"

namespace faultline::report {

// Latency buckets: values below 32 ns have a bucket each; above, every
// power of two is cut into 32 equal parts (3.1% wide at most).
uint32_t LatencyBucket(int64_t ns);
int64_t BucketLowerBound(uint32_t bucket);

// The intervals [begin, end) of virtual time in which at least one fault
// of the run's plan was in force, merged and sorted. A fault lasts until
// its `lasting` ends, else until the plan's next undo of it (heal for a
// partition, restart for a crash, resume for a pause) or the final heal;
// a clock jump is instantaneous; a link clog lasts its amount. A fault
// that was skipped (it found no target) was never in force.
struct Interval {
  int64_t begin = 0, end = 0;
};
std::vector<Interval> FaultWindows(const scenario::RunResult& run);

// Per-kind statistics of the run's history, sorted by kind.
std::vector<KindStats> KindStatistics(const scenario::RunResult& run, const std::vector<Interval>& windows);

// Pools histograms: the value at quantile q (0..1) of all counts, as its
// bucket's lower bound; 0 when empty.
int64_t Quantile(const std::vector<Bucket>& pooled, double q);
// Adds `from` into `into` (both sorted by index; the result too).
void AddBuckets(std::vector<Bucket>* into, const google::protobuf::RepeatedPtrField<Bucket>& from);

}  // namespace faultline::report
