// scripts/tidy catches every banned pattern it claims to, honours
// tidy:allow, ignores prose in comments and passes clean code.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/process.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct Tree {
  Tree() {
    char tmpl[] = "/tmp/faultline-tidy-XXXXXX";
    root = mkdtemp(tmpl);
  }
  ~Tree() { fs::remove_all(root); }
  void Write(const std::string& rel, const std::string& text) {
    fs::create_directories(fs::path(root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
  testing::ProcessResult Tidy() {
    return testing::RunProcess(std::string(FAULTLINE_TIDY) + " --root " + root.string() + " 2>&1");
  }
  fs::path root;
};

struct Case {
  const char* rule;
  const char* path;
  const char* code;
};

const Case kBanned[] = {
    {"rand", "sim/engine/a.cc", "int x = rand();"},
    {"rand", "models/kit/a.cc", "srand(7);"},
    {"random-header", "sim/world/a.cc", "#include <random>"},
    {"std-random", "sim/world/a.cc", "std::mt19937 gen;"},
    {"std-random", "sim/world/a.cc", "std::uniform_int_distribution<int> d(1, 6);"},
    {"std-random", "sim/core/a.cc", "std::random_device rd;"},
    {"absl-random", "sim/node/a.cc", "absl::BitGen gen;"},
    {"shuffle", "models/fraud/a.cc", "std::shuffle(v.begin(), v.end(), g);"},
    {"wall-clock", "sim/engine/a.cc", "auto t = std::chrono::steady_clock::now();"},
    {"wall-clock", "models/kit/a.cc", "auto t = std::chrono::system_clock::now();"},
    {"chrono-header", "sim/world/a.cc", "#include <chrono>"},
    {"libc-time", "sim/engine/a.cc", "long t = time(nullptr);"},
    {"libc-time", "sim/engine/a.cc", "gettimeofday(&tv, 0);"},
    {"libc-time", "sim/engine/a.cc", "clock_gettime(CLOCK_MONOTONIC, &ts);"},
    {"absl-time", "sim/engine/a.cc", "auto t = absl::Now();"},
    {"thread", "sim/engine/a.cc", "std::thread t([]{});"},
    {"thread", "sim/engine/a.cc", "auto f = std::async([]{ return 1; });"},
    {"hash-salted", "sim/world/a.cc", "size_t h = std::hash<int>{}(5);"},
    {"hash-salted", "sim/world/a.cc", "size_t h = absl::HashOf(5);"},
    {"unordered", "sim/world/a.cc", "std::unordered_map<int, int> m;"},
    {"unordered", "models/matching/a.cc", "absl::flat_hash_set<int> s;"},
    {"pointer-key", "sim/engine/a.cc", "std::map<Node*, int> m;"},
    {"pointer-key", "sim/engine/a.cc", "absl::btree_set<const Fiber*> s;"},
    {"environment", "sim/engine/a.cc", "const char* e = getenv(\"SEED\");"},
    {"build-stamp", "sim/engine/a.cc", "const char* d = __DATE__;"},
    {"proto-serialize", "models/kit/a.cc", "std::string b = msg.SerializeAsString();"},
    {"proto-serialize", "sim/node/a.cc", "msg.SerializeToString(&out);"},
    {"proto-serialize", "models/kit/a.cc", "msg.AppendToString(&out);"},
    {"proto-serialize", "models/kit/a.cc", "msg.SerializeWithCachedSizes(&coded);"},
    {"dir-order", "sim/engine/a.cc", "for (auto& e : std::filesystem::directory_iterator(p)) {}"},
    {"proto-map", "sim/report/a.proto", "map<string, string> args = 11;"},
    {"proto-map", "models/kit/a.proto", "google.protobuf.Struct args = 11;"},
    {"proto-map", "sim/report/a.proto", "import \"google/protobuf/struct.proto\";"},
    {"layering", "sim/core/a.cc", "#include \"sim/engine/simulation.h\""},
    {"layering", "sim/engine/a.cc", "#include \"sim/world/network.h\""},
    {"layering", "sim/check/a.cc", "#include \"sim/world/network.h\""},
    {"builtin-prefetch", "sim/engine/a.cc", "__builtin_prefetch(&x);"},
    {"boost-context", "sim/engine/a.cc", "#include \"boost/context/detail/fcontext.hpp\""},
    {"test-name", "tests/unit/a_test.cc", "TEST_CASE(\"one; two\", \"[x]\") {}"},
    {"test-name", "tests/unit/a_test.cc", "TEST_CASE(\"a [tag] in the name\") {}"},
};

TEST_CASE("tidy passes clean code", "[tidy]") {
  Tree t;
  t.Write("sim/engine/ok.cc",
          "#include \"sim/core/rng.h\"\n"
          "// prose may say std::rand() or std::chrono::steady_clock\n"
          "int Operand(int random_value) { return random_value; }\n"
          "absl::btree_map<int, int> ordered;\n");
  t.Write("sim/cli/main.cc", "#include <chrono>\nauto t = std::chrono::steady_clock::now();\n");
  // A C++ map is the unordered rule's business; a proto's bitmap field is no map.
  t.Write("sim/report/ok.proto", "repeated Entry entries = 1;\nbytes bitmap = 2;\n");
  t.Write("sim/report/ok.cc", "std::map<int, int> m;\n");
  t.Write("tests/unit/ok_test.cc", "TEST_CASE(\"a name, with commas: fine\", \"[ok]\") {}\n");
  testing::ProcessResult r = t.Tidy();
  INFO(r.out);
  CHECK(r.exit_code == 0);
}

TEST_CASE("tidy catches each banned pattern", "[tidy]") {
  for (const Case& c : kBanned) {
    Tree t;
    t.Write(c.path, std::string(c.code) + "\n");
    testing::ProcessResult r = t.Tidy();
    INFO(c.rule << ": " << c.code << "\n" << r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find(std::string("[") + c.rule + "]") != std::string::npos);
    CHECK(r.out.find(std::string(c.path) + ":1:") != std::string::npos);
  }
}

TEST_CASE("tidy honours tidy:allow on the line or the line above", "[tidy]") {
  Tree t;
  t.Write("sim/world/a.cc",
          "// lookup only, never iterated. tidy:allow(unordered)\n"
          "absl::flat_hash_map<int, int> index;\n"
          "std::unordered_set<int> seen;  // tidy:allow(unordered) membership only\n");
  CHECK(t.Tidy().exit_code == 0);
  t.Write("sim/world/b.cc", "// tidy:allow(rand)\nstd::unordered_set<int> other;\n");
  CHECK(t.Tidy().exit_code == 1);  // the allowance names another rule
}

}  // namespace
}  // namespace faultline
