// The linearizability checker on Porcupine's histories
// (../shared/histories/porcupine): the whole manifest set, each file on its
// own (per-file times, for the slowest ten), and the 10-client kv files
// checked as one whole map (--no-partition), Porcupine's hardest case.
// Files are read once up front; each iteration parses, pairs and checks,
// as `faultline check` does. Single-threaded.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/check/models.h"
#include "sim/history/formats.h"

namespace faultline {
namespace {

const std::string kDir = FAULTLINE_SHARED_DIR "/histories/porcupine";

struct File {
  std::string name, model, expected, text;
};

std::vector<File> LoadManifest() {
  std::vector<File> files;
  std::ifstream manifest(kDir + "/MANIFEST.tsv");
  std::string line;
  std::getline(manifest, line);
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    File f;
    if (!std::getline(fields, f.name, '\t') || !std::getline(fields, f.model, '\t') ||
        !std::getline(fields, f.expected, '\t')) {
      continue;
    }
    std::ifstream in(kDir + "/" + f.name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    f.text = text.str();
    files.push_back(std::move(f));
  }
  return files;
}

const std::vector<File>& Files() {
  static const std::vector<File> files = LoadManifest();
  return files;
}

// Parses, pairs and checks; aborts on an unexpected verdict, so a fast
// wrong answer cannot pass for a fast right one.
void CheckOne(const File& f, bool no_partition) {
  Result<History> h = ReadHistory(f.text, f.name);
  Result<std::vector<Operation>> ops = PairOperations(*h);
  CheckBudget budget;
  budget.no_partition = no_partition;
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel(f.model), {}, budget);
  const Verdict want = f.expected == "linearizable" ? Verdict::kOk : Verdict::kViolation;
  if (!r.ok() || r->verdict != want) {
    std::fprintf(stderr, "%s: wrong verdict\n", f.name.c_str());
    std::abort();
  }
  benchmark::DoNotOptimize(r->partitions.size());
}

void BM_ManifestSet(benchmark::State& state) {
  if (Files().empty()) {
    state.SkipWithError("../shared/histories/porcupine not found");
    return;
  }
  for (auto _ : state) {
    for (const File& f : Files()) CheckOne(f, false);
  }
  state.counters["files"] = static_cast<double>(Files().size());
}
BENCHMARK(BM_ManifestSet)->Unit(benchmark::kMillisecond);

void BM_File(benchmark::State& state, size_t i, bool no_partition) {
  for (auto _ : state) CheckOne(Files()[i], no_partition);
}

}  // namespace
}  // namespace faultline

int main(int argc, char** argv) {
  using namespace faultline;
  for (size_t i = 0; i < Files().size(); ++i) {
    benchmark::RegisterBenchmark(("BM_File/" + Files()[i].name).c_str(), BM_File, i, false)
        ->Unit(benchmark::kMillisecond);
    if (Files()[i].name.find("c10") != std::string::npos) {
      benchmark::RegisterBenchmark(("BM_FileWhole/" + Files()[i].name).c_str(), BM_File, i, true)
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
