// The linearizability checker on Porcupine's histories
// (../shared/histories/porcupine): the whole manifest set, each file on its
// own (per-file times, for the slowest ten), and the 10-client kv files
// checked as one whole map (--no-partition), Porcupine's hardest case.
// Files are read once up front; each iteration parses, pairs and checks,
// as `faultline check` does. Single-threaded.
//
// BM_Bursts: a long cas-register history of fully concurrent bursts
// separated by pauses (what simulated clients with think time produce),
// with and without the split at quiescent points; `bad` changes the very
// last read, so the whole history must be searched to refute it.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/check/models.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"
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
struct Mode {
  bool no_partition = false;  // a keyed model's history as one whole map
  bool no_split = false;      // no quiescent-point segments
};

void CheckOne(const File& f, Mode mode) {
  Result<History> h = ReadHistory(f.text, f.name);
  Result<std::vector<Operation>> ops = PairOperations(*h);
  CheckBudget budget;
  budget.no_partition = mode.no_partition;
  budget.no_split = mode.no_split;
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel(f.model), {}, budget);
  const Verdict want = f.expected == "linearizable" ? Verdict::kOk : Verdict::kViolation;
  if (!r.ok() || r->verdict != want) {
    std::fprintf(stderr, "%s: wrong verdict\n", f.name.c_str());
    std::abort();
  }
  benchmark::DoNotOptimize(r->partitions.size());
}

void BM_ManifestSet(benchmark::State& state, Mode mode) {
  if (Files().empty()) {
    state.SkipWithError("../shared/histories/porcupine not found");
    return;
  }
  for (auto _ : state) {
    for (const File& f : Files()) CheckOne(f, mode);
  }
  state.counters["files"] = static_cast<double>(Files().size());
}

void BM_File(benchmark::State& state, size_t i, Mode mode) {
  for (auto _ : state) CheckOne(Files()[i], mode);
}

// `bursts` bursts of five operations, each burst's effects applied in a
// random order between all its invocations and all its completions.
std::string Bursts(int bursts, bool bad) {
  Rng rng(7);
  std::string text;
  int64_t reg = 0;
  for (int b = 0; b < bursts; ++b) {
    std::vector<std::string> f(5), value(5), result(5);
    for (int p = 0; p < 5; ++p) {
      const uint64_t k = rng.Uniform(3);
      f[p] = k == 0 ? "read" : k == 1 ? "write" : "cas";
      if (k == 1) value[p] = Cat(rng.Uniform(5));
      if (k == 2) value[p] = Cat("[", rng.Uniform(5), " ", rng.Uniform(5), "]");
    }
    std::vector<int> order{0, 1, 2, 3, 4};
    for (int i = 4; i > 0; --i) std::swap(order[i], order[rng.Uniform(static_cast<uint64_t>(i) + 1)]);
    for (int p : order) {
      if (f[p] == "read") result[p] = Cat(reg);
      if (f[p] == "write") reg = value[p][0] - '0';
      if (f[p] == "cas") {
        const bool ok = reg == value[p][1] - '0';
        if (ok) reg = value[p][3] - '0';
        result[p] = ok ? "ok" : "fail";
      }
    }
    for (int p = 0; p < 5; ++p) {
      Append(&text, "{:process ", p, " :type :invoke :f :", f[p], value[p].empty() ? "" : Cat(" :value ", value[p]), "}\n");
    }
    for (int p = 0; p < 5; ++p) {
      std::string type = f[p] == "cas" && result[p] == "fail" ? "fail" : "ok";
      std::string v = f[p] == "read" ? result[p] : value[p];
      if (bad && b == bursts - 1 && f[p] == "read") v = "9";
      Append(&text, "{:process ", p, " :type :", type, " :f :", f[p], v.empty() ? "" : Cat(" :value ", v), "}\n");
    }
  }
  return text;
}

void BM_Bursts(benchmark::State& state, bool bad, bool no_split) {
  const std::string text = Bursts(4000, bad);
  Result<History> h = ReadHistory(text, "bursts.edn");
  Result<std::vector<Operation>> ops = PairOperations(*h);
  CheckBudget budget;
  budget.no_split = no_split;
  for (auto _ : state) {
    Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("cas-register"), {}, budget);
    if (!r.ok() || (r->verdict == Verdict::kViolation) != bad) std::abort();
    state.counters["segments"] = static_cast<double>(r->partitions[0].segments);
    state.counters["steps"] = static_cast<double>(r->partitions[0].steps);
  }
  state.counters["ops"] = static_cast<double>(ops->size());
}

}  // namespace
}  // namespace faultline

int main(int argc, char** argv) {
  using namespace faultline;
  benchmark::RegisterBenchmark("BM_ManifestSet", BM_ManifestSet, Mode{})->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ManifestSetNoSplit", BM_ManifestSet, Mode{false, true})
      ->Unit(benchmark::kMillisecond);
  for (bool bad : {false, true}) {
    for (bool no_split : {false, true}) {
      benchmark::RegisterBenchmark(Cat("BM_Bursts/", bad ? "bad" : "ok", no_split ? "/no-split" : "/split").c_str(),
                                   BM_Bursts, bad, no_split)
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (size_t i = 0; i < Files().size(); ++i) {
    benchmark::RegisterBenchmark(("BM_File/" + Files()[i].name).c_str(), BM_File, i, Mode{})
        ->Unit(benchmark::kMillisecond);
    if (Files()[i].name.find("c10") != std::string::npos) {
      benchmark::RegisterBenchmark(("BM_FileWhole/" + Files()[i].name).c_str(), BM_File, i,
                                   Mode{true, false})
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("BM_FileWholeNoSplit/" + Files()[i].name).c_str(), BM_File, i,
                                   Mode{true, true})
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
