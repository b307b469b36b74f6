#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "sim/check/models.h"
#include "sim/core/rng.h"
#include "sim/core/strings.h"
#include "sim/history/formats.h"
#include "tests/unit/check/check_testing.h"

namespace faultline {
namespace {

Verdict Check(std::string_view text, std::string_view model_name) {
  Result<CheckResult> r = testing::CheckText(text, "t.edn", model_name);
  REQUIRE(r.ok());
  return r->verdict;
}

TEST_CASE("Register: overlapping writes and reads", "[check]") {
  // w1 and w2 overlap; a read of 2 then a read of 1 cannot both follow.
  CHECK(Check("{:process 0 :type :invoke :f :write :value 1}\n"
              "{:process 1 :type :invoke :f :write :value 2}\n"
              "{:process 0 :type :ok :f :write :value 1}\n"
              "{:process 1 :type :ok :f :write :value 2}\n"
              "{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value 1}\n",
              "register") == Verdict::kOk);
  CHECK(Check("{:process 0 :type :invoke :f :write :value 1}\n"
              "{:process 0 :type :ok :f :write :value 1}\n"
              "{:process 1 :type :invoke :f :write :value 2}\n"
              "{:process 1 :type :ok :f :write :value 2}\n"
              "{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value 1}\n",
              "register") == Verdict::kViolation);
}

TEST_CASE("Info operations may take effect late, or never", "[check]") {
  // The write of 2 timed out; a later read may see 2 ...
  const char* late = "{:process 0 :type :invoke :f :write :value 2}\n"
                     "{:process 0 :type :info :f :write}\n"
                     "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value 2}\n"
                     "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value nil}\n";
  // ... or never see it; but not see it and then lose it.
  CHECK(Check("{:process 0 :type :invoke :f :write :value 2}\n{:process 0 :type :info :f :write}\n"
              "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value nil}\n",
              "register") == Verdict::kOk);
  CHECK(Check(late, "register") == Verdict::kViolation);
}

TEST_CASE("Quiescent points split the search, every end state is carried over", "[check][segments]") {
  // Two concurrent writes, then (nothing pending) reads. After the first
  // segment the register may hold 1 or 2: both must be tried.
  const std::string writes = "{:process 0 :type :invoke :f :write :value 1}\n"
                             "{:process 1 :type :invoke :f :write :value 2}\n"
                             "{:process 0 :type :ok :f :write :value 1}\n"
                             "{:process 1 :type :ok :f :write :value 2}\n";
  const std::string read1 = "{:process 2 :type :invoke :f :read}\n{:process 2 :type :ok :f :read :value 1}\n";
  const std::string read2 = "{:process 2 :type :invoke :f :read}\n{:process 2 :type :ok :f :read :value 2}\n";
  for (const std::string& read : {read1, read2}) {
    Result<CheckResult> r = testing::CheckText(writes + read + read, "t.edn", "register");
    REQUIRE(r.ok());
    REQUIRE(r->verdict == Verdict::kOk);
    const PartitionResult& p = r->partitions[0];
    CHECK(p.segments == 3);
    REQUIRE(p.linearization.size() == 4);
    CHECK(p.linearization[1] == (read == read1 ? 0u : 1u));  // the write the reads saw went last
  }
  Result<CheckResult> r = testing::CheckText(writes + read1 + read2, "t.edn", "register");
  REQUIRE(r.ok());
  REQUIRE(r->verdict == Verdict::kViolation);
  const PartitionResult& p = r->partitions[0];
  CHECK(p.longest_prefix == std::vector<size_t>{1, 0, 2});  // through both segments
  CHECK(p.state_after_prefix == "1");
  CHECK(p.stuck == std::vector<size_t>{3});
}

TEST_CASE("Too many end states to carry: the rest is searched as one piece", "[check][segments]") {
  // Three concurrent writes, then reads: three end states after the first
  // segment. Carrying at most two, the search gives up splitting there.
  // (A tail reads 1 and 3 too, so that no write is silent, wgl.h.)
  std::string writes;
  for (int i = 1; i <= 3; ++i) Append(&writes, "{:process ", i, " :type :invoke :f :write :value ", i, "}\n");
  for (int i = 1; i <= 3; ++i) Append(&writes, "{:process ", i, " :type :ok :f :write :value ", i, "}\n");
  auto read = [](int v) { return Cat("{:process 9 :type :invoke :f :read}\n{:process 9 :type :ok :f :read :value ", v, "}\n"); };
  auto write = [](int v) { return Cat("{:process 8 :type :invoke :f :write :value ", v, "}\n{:process 8 :type :ok :f :write :value ", v, "}\n"); };
  const std::string tail = write(1) + read(1) + write(3) + read(3);
  struct Case {
    std::string text;
    Verdict want;
    size_t segments;  // carrying all three: each operation after the writes is a segment
  };
  for (const Case& c : {Case{writes + read(2) + read(2) + tail, Verdict::kOk, 7},
                        Case{writes + read(2) + read(3) + tail, Verdict::kViolation, 3}}) {
    for (size_t carry : {size_t{2}, size_t{3}}) {
      CheckBudget budget;
      budget.max_carried_states = carry;
      Result<CheckResult> r = testing::CheckText(c.text, "t.edn", "register", budget);
      REQUIRE(r.ok());
      CHECK(r->verdict == c.want);
      CHECK(r->partitions[0].segments == (carry == 2 ? 1u : c.segments));
    }
  }
}

TEST_CASE("A segment too costly to enumerate: the rest is searched as one piece", "[check][segments]") {
  // 13 concurrent writes of 0: one end state, but 2^13 subsets to
  // enumerate (over the 4,096-step floor), while a first-success search
  // walks straight through. Then a read of 0 (ok) or of 5 (a violation).
  // (Concurrent reads were the example until reads were taken alone; a
  // read of 0 closes both, so that the writes are not silent, wgl.h.)
  std::string writes;
  for (int i = 0; i < 13; ++i) Append(&writes, "{:process ", i, " :type :invoke :f :write :value 0}\n");
  for (int i = 0; i < 13; ++i) Append(&writes, "{:process ", i, " :type :ok :f :write :value 0}\n");
  for (int last : {0, 5}) {
    const std::string h = Cat(writes, "{:process 20 :type :invoke :f :read}\n{:process 20 :type :ok :f :read :value ", last,
                              "}\n{:process 20 :type :invoke :f :read}\n{:process 20 :type :ok :f :read :value 0}\n");
    Result<CheckResult> r = testing::CheckText(h, "t.edn", "cas-register");
    REQUIRE(r.ok());
    CHECK(r->verdict == (last == 0 ? Verdict::kOk : Verdict::kViolation));
    CHECK(r->partitions[0].segments == 1);
    // And the budgets hold inside an exhaustive segment too.
    CheckBudget tight;
    tight.memory_bytes = 1;
    r = testing::CheckText(h, "t.edn", "cas-register", tight);
    REQUIRE(r.ok());
    CHECK(r->verdict == Verdict::kUnknown);
    CHECK(r->partitions[0].unknown_reason == "memory budget");
  }
}

TEST_CASE("cas-register starts at 0 unless --init says otherwise", "[check]") {
  const char* h = "{:process 0 :type :invoke :f :cas :value [0 5]}\n"
                  "{:process 0 :type :ok :f :cas :value [0 5]}\n"
                  "{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :read :value 5}\n";
  CHECK(Check(h, "cas-register") == Verdict::kOk);
  CHECK(Check(h, "etcd-cas-register") == Verdict::kViolation);  // starts at nil
}

TEST_CASE("kv-append is checked key by key", "[check]") {
  Result<History> h = ReadHistory(
      "{:process 0 :type :invoke :f :append :key \"a\" :value \"x\"}\n"
      "{:process 0 :type :ok :f :append :key \"a\" :value \"x\"}\n"
      "{:process 1 :type :invoke :f :get :key \"b\" :value nil}\n"
      "{:process 1 :type :ok :f :get :key \"b\" :value \"x\"}\n",
      "t.edn");
  REQUIRE(h.ok());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("kv-append"), {}, {});
  REQUIRE(r.ok());
  REQUIRE(r->partitions.size() == 2);
  CHECK(r->partitions[0].verdict == Verdict::kOk);
  CHECK(r->partitions[1].key == "b");
  CHECK(r->partitions[1].verdict == Verdict::kViolation);
  CHECK(r->partitions[1].stuck.size() == 1);  // named once, not per entry
}

TEST_CASE("Registers reserve -2^63 for nil and say so", "[check][bad-input]") {
  Result<History> h = ReadHistory("{:process 0 :type :invoke :f :write :value -9223372036854775808}\n"
                                  "{:process 0 :type :ok :f :write :value -9223372036854775808}\n",
                                  "t.edn");
  REQUIRE(h.ok());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("register"), {}, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("reserve for nil") != std::string::npos);
}

TEST_CASE("Unknown operations and models are errors", "[check][bad-input]") {
  CHECK_FALSE(FindModel("regster").ok());
  CHECK(FindModel("regster").status().message().find("known: register") != std::string::npos);
  Result<History> h = ReadHistory("{:process 0 :type :invoke :f :incr :value 1}", "t.edn");
  Result<std::vector<Operation>> ops = PairOperations(*h);
  Result<CheckResult> r = CheckLinearizable(*ops, **FindModel("register"), {}, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("the model has no :incr") != std::string::npos);
}

TEST_CASE("The other models: good and bad histories", "[check]") {
  struct Case {
    const char* model;
    const char* text;
    Verdict want;
  };
  const Case cases[] = {
      {"counter",
       "{:process 0 :type :invoke :f :add :value 2}\n{:process 1 :type :invoke :f :read}\n"
       "{:process 1 :type :ok :f :read :value 2}\n{:process 0 :type :ok :f :add :value 2}\n",
       Verdict::kOk},
      {"counter",
       "{:process 0 :type :invoke :f :incr}\n{:process 0 :type :ok :f :incr}\n"
       "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value 0}\n",
       Verdict::kViolation},
      {"set",
       "{:process 0 :type :invoke :f :add :value 1}\n{:process 0 :type :ok :f :add :value 1}\n"
       "{:process 0 :type :invoke :f :add :value \"a\"}\n{:process 0 :type :info :f :add}\n"
       "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value #{\"a\" 1}}\n",
       Verdict::kOk},
      {"set",
       "{:process 0 :type :invoke :f :add :value 1}\n{:process 0 :type :ok :f :add :value 1}\n"
       "{:process 1 :type :invoke :f :read}\n{:process 1 :type :ok :f :read :value []}\n",
       Verdict::kViolation},
      {"fifo-queue",
       "{:process 0 :type :invoke :f :enqueue :value 1}\n{:process 0 :type :ok :f :enqueue :value 1}\n"
       "{:process 0 :type :invoke :f :enqueue :value 2}\n{:process 0 :type :ok :f :enqueue :value 2}\n"
       "{:process 1 :type :invoke :f :dequeue}\n{:process 1 :type :ok :f :dequeue :value 1}\n"
       "{:process 1 :type :invoke :f :dequeue}\n{:process 1 :type :ok :f :dequeue :value 2}\n"
       "{:process 1 :type :invoke :f :dequeue}\n{:process 1 :type :ok :f :dequeue :value nil}\n",
       Verdict::kOk},
      {"fifo-queue",
       "{:process 0 :type :invoke :f :enqueue :value 1}\n{:process 0 :type :ok :f :enqueue :value 1}\n"
       "{:process 0 :type :invoke :f :enqueue :value 2}\n{:process 0 :type :ok :f :enqueue :value 2}\n"
       "{:process 1 :type :invoke :f :dequeue}\n{:process 1 :type :ok :f :dequeue :value 2}\n",
       Verdict::kViolation},
      {"mutex",
       "{:process 0 :type :invoke :f :acquire}\n{:process 0 :type :ok :f :acquire}\n"
       "{:process 0 :type :invoke :f :release}\n{:process 1 :type :invoke :f :acquire}\n"
       "{:process 1 :type :ok :f :acquire}\n{:process 0 :type :ok :f :release}\n",
       Verdict::kOk},
      {"mutex",
       "{:process 0 :type :invoke :f :acquire}\n{:process 0 :type :ok :f :acquire}\n"
       "{:process 1 :type :invoke :f :acquire}\n{:process 1 :type :ok :f :acquire}\n",
       Verdict::kViolation},
      {"kv",
       "{:process 0 :type :invoke :f :write :key \"a\" :value 1}\n"
       "{:process 0 :type :ok :f :write :key \"a\" :value 1}\n"
       "{:process 0 :type :invoke :f :cas :key \"a\" :value [1 \"x\"]}\n"
       "{:process 0 :type :ok :f :cas :key \"a\" :value [1 \"x\"]}\n"
       "{:process 1 :type :invoke :f :read :key \"b\"}\n{:process 1 :type :ok :f :read :key \"b\" :value nil}\n"
       "{:process 1 :type :invoke :f :read :key \"a\"}\n{:process 1 :type :ok :f :read :key \"a\" :value \"x\"}\n",
       Verdict::kOk},
      {"kv",
       "{:process 0 :type :invoke :f :write :key \"a\" :value 1}\n"
       "{:process 0 :type :ok :f :write :key \"a\" :value 1}\n"
       "{:process 1 :type :invoke :f :read :key \"a\"}\n{:process 1 :type :ok :f :read :key \"a\" :value nil}\n",
       Verdict::kViolation},
  };
  for (const Case& c : cases) {
    INFO(c.model << "\n" << c.text);
    CHECK(Check(c.text, c.model) == c.want);
  }
}

// Many timed-out writes of distinct values, then a read of a value nobody
// wrote: every subset and order of the writes must be ruled out.
std::string Pathological(int writers) {
  std::string text;
  for (int p = 0; p < writers; ++p) Append(&text, "{:process ", p, " :type :invoke :f :write :value ", p, "}\n");
  for (int p = 0; p < writers; ++p) Append(&text, "{:process ", p, " :type :info :f :write}\n");
  Append(&text, "{:process 99 :type :invoke :f :read}\n{:process 99 :type :ok :f :read :value 1000}\n");
  for (int p = 0; p < writers; ++p) {
    Append(&text, "{:process ", 100 + p, " :type :invoke :f :read}\n{:process ", 100 + p,
           " :type :ok :f :read :value ", p, "}\n");
  }
  return text;
}

// The operations of an EDN history, which must read and pair.
std::vector<Operation> OpsOf(const std::string& text) {
  Result<History> h = ReadHistory(text, "t.edn");
  REQUIRE(h.ok());
  Result<std::vector<Operation>> ops = PairOperations(*h);
  REQUIRE(ops.ok());
  return std::move(*ops);
}

TEST_CASE("Budgets end a hopeless search in unknown", "[check][budget]") {
  const std::vector<Operation> ops = OpsOf(Pathological(24));
  const ModelInfo& model = **FindModel("register");
  int polls = 0;
  CheckBudget time_budget;
  time_budget.out_of_time = [&polls] { return ++polls > 100; };  // a deterministic "clock"
  Result<CheckResult> r = CheckLinearizable(ops, model, {}, time_budget);
  REQUIRE(r.ok());
  CHECK(r->verdict == Verdict::kUnknown);
  CHECK(r->partitions[0].unknown_reason == "time budget");
  CHECK(r->partitions[0].steps <= 101 * 1024);
  CheckBudget memory_budget;
  memory_budget.memory_bytes = 4 << 20;
  r = CheckLinearizable(ops, model, {}, memory_budget);
  REQUIRE(r.ok());
  CHECK(r->verdict == Verdict::kUnknown);
  CHECK(r->partitions[0].unknown_reason == "memory budget");
}

// Key "a": `writers` concurrent acknowledged writes and a read, all
// overlapping, that returns a value none wrote: every subset of the writes
// before the read is a configuration to refute (later reads of each value
// keep the writes from being silent, wgl.h). Keys "b" and "c": a write
// then a read of it.
std::string HardKeyBesideEasyOnes(int writers) {
  std::string text;
  for (int p = 0; p < writers; ++p) Append(&text, "{:process ", p, " :type :invoke :f :write :key \"a\" :value ", p, "}\n");
  Append(&text, "{:process 99 :type :invoke :f :read :key \"a\"}\n{:process 99 :type :ok :f :read :key \"a\" :value 1000}\n");
  for (int p = 0; p < writers; ++p) Append(&text, "{:process ", p, " :type :ok :f :write :key \"a\" :value ", p, "}\n");
  for (int p = 0; p < writers; ++p) {
    Append(&text, "{:process 98 :type :invoke :f :read :key \"a\"}\n{:process 98 :type :ok :f :read :key \"a\" :value ", p, "}\n");
  }
  for (const char* key : {"b", "c"}) {
    Append(&text, "{:process 200 :type :invoke :f :write :key \"", key, "\" :value 7}\n",
           "{:process 200 :type :ok :f :write :key \"", key, "\" :value 7}\n",
           "{:process 201 :type :invoke :f :read :key \"", key, "\"}\n",
           "{:process 201 :type :ok :f :read :key \"", key, "\" :value 7}\n");
  }
  return text;
}

TEST_CASE("A step budget is shared fairly between keys and gives the same verdict every time", "[check][budget]") {
  std::vector<Operation> ops = OpsOf(HardKeyBesideEasyOnes(20));
  CheckBudget budget;
  budget.max_steps = 300'000;
  Result<CheckResult> r = CheckLinearizable(ops, **FindModel("kv"), {}, budget);
  REQUIRE(r.ok());
  REQUIRE(r->partitions.size() == 3);
  CHECK(r->verdict == Verdict::kUnknown);
  CHECK(r->partitions[0].key == "a");
  CHECK(r->partitions[0].verdict == Verdict::kUnknown);
  CHECK(r->partitions[0].unknown_reason == "step budget");
  // Its share, a third, give or take the 1,024 steps between polls; the
  // keys after it are still decided.
  CHECK(r->partitions[0].steps >= 100'000);
  CHECK(r->partitions[0].steps <= 100'000 + 1024);
  CHECK(r->partitions[1].verdict == Verdict::kOk);
  CHECK(r->partitions[2].verdict == Verdict::kOk);
  Result<CheckResult> again = CheckLinearizable(ops, **FindModel("kv"), {}, budget);
  REQUIRE(again.ok());
  CHECK(again->partitions[0].steps == r->partitions[0].steps);
  // Unlimited (and small enough to finish): the key is not linearizable.
  ops = OpsOf(HardKeyBesideEasyOnes(8));
  r = CheckLinearizable(ops, **FindModel("kv"), {}, CheckBudget{});
  REQUIRE(r.ok());
  CHECK(r->partitions[0].verdict == Verdict::kViolation);
  // A spent budget: the keys left are unknown without a search.
  budget.max_steps = 1;
  r = CheckLinearizable(ops, **FindModel("kv"), {}, budget);
  REQUIRE(r.ok());
  CHECK(r->partitions[1].unknown_reason == "step budget");
  CHECK(r->partitions[2].unknown_reason == "step budget");
  CHECK(r->partitions[2].steps == 0);
}

TEST_CASE("StepShare: an equal share of what is left, the last partition all of it", "[check][budget]") {
  CHECK(StepShare(0, 3) == 0);
  CHECK(StepShare(300, 3) == 100);
  CHECK(StepShare(301, 1) == 301);
  CHECK(StepShare(2, 5) == 1);  // never 0 (no limit) while steps remain
}

// ---- property tests against a brute-force checker ----

struct Gen {
  std::string text;
  size_t ops = 0;
};

// A random cas-register history of up to `n` operations by `processes`
// processes, built from a real sequential execution (so it is
// linearizable), then optionally mutated (a read result changed). Values
// are 0..values-1 (at most 10); a completion is an info (the process
// crashes) 1 in `crash_in`; one operation in `read_in` is a read, the rest
// half writes, half cas.
Gen RandomHistory(Rng& rng, int n, bool mutate, uint64_t values = 3, uint64_t crash_in = 10,
                  int processes = 3, uint64_t read_in = 3) {
  struct Pending {
    std::string f, value, result;
    bool done = false;
    bool info = false;
  };
  // Each op takes effect at a point between its invoke and completion.
  Gen g;
  int64_t reg = 0;
  const auto width = static_cast<size_t>(processes);
  std::vector<int> open(width, -1);
  std::vector<Pending> ops;
  std::vector<std::string> lines;
  std::vector<bool> crashed(width, false);
  for (int step = 0; step < 4 * n; ++step) {
    const auto p = static_cast<size_t>(rng.Uniform(width));
    if (crashed[p]) continue;
    if (open[p] < 0) {
      if (static_cast<int>(ops.size()) >= n) continue;
      Pending op;
      op.f = rng.Chance(1, read_in) ? "read" : rng.Chance(1, 2) ? "write" : "cas";
      if (op.f == "write") op.value = Cat(rng.Uniform(values));
      if (op.f == "cas") op.value = Cat("[", rng.Uniform(values), " ", rng.Uniform(values), "]");
      lines.push_back(Cat("{:process ", p, " :type :invoke :f :", op.f,
                          op.value.empty() ? "" : Cat(" :value ", op.value), "}"));
      open[p] = static_cast<int>(ops.size());
      ops.push_back(op);
      continue;
    }
    Pending& op = ops[static_cast<size_t>(open[p])];
    if (!op.done) {  // take effect now
      op.done = true;
      if (op.f == "read") op.result = Cat(reg);
      if (op.f == "write") reg = std::stoll(op.value);
      if (op.f == "cas") {
        int64_t a = op.value[1] - '0', b = op.value[3] - '0';
        op.result = reg == a ? "ok" : "fail";
        if (reg == a) reg = b;
      }
      continue;
    }
    // complete
    std::string type = "ok", value = op.value;
    if (op.f == "read") value = op.result;
    if (op.f == "cas" && op.result == "fail") type = "fail";
    if (rng.Chance(1, crash_in)) {
      type = "info";
      crashed[p] = true;
    }
    if (mutate && op.f == "read" && type == "ok" && rng.Chance(1, 3)) value = Cat(rng.Uniform(values));
    lines.push_back(Cat("{:process ", p, " :type :", type, " :f :", op.f,
                        value.empty() ? "" : Cat(" :value ", value), "}"));
    open[p] = -1;
  }
  for (const std::string& l : lines) Append(&g.text, l, "\n");
  g.ops = ops.size();
  return g;
}

// All orders of the operations consistent with real time, each info
// operation either placed or dropped.
bool BruteForce(const std::vector<Operation>& ops) {
  const size_t n = ops.size();
  std::vector<int> order;
  std::function<bool(uint64_t, int64_t)> go = [&](uint64_t used, int64_t reg) -> bool {
    bool all = true;
    for (size_t i = 0; i < n; ++i) all = all && ((used >> i & 1) || ops[i].info);
    if (all) return true;
    for (size_t i = 0; i < n; ++i) {
      if (used >> i & 1) continue;
      // i may go next only if no unused op returned before i was called.
      bool ok = true;
      for (size_t j = 0; j < n && ok; ++j) {
        if (j != i && !(used >> j & 1) && !ops[j].info && ops[j].ret < ops[i].call) ok = false;
      }
      if (!ok) continue;
      const Operation& op = ops[i];
      int64_t next = reg;
      if (op.f == "read") {
        if (!op.info && !(op.output.is_int() && op.output.int_value() == reg)) continue;
      } else if (op.f == "write") {
        next = op.input.int_value();
      } else {
        if (reg != op.input.items()[0].int_value()) continue;
        next = op.input.items()[1].int_value();
      }
      if (go(used | (uint64_t{1} << i), next)) return true;
      if (op.info && go(used | (uint64_t{1} << i), reg)) return true;  // dropped
    }
    // Infos may all be dropped at any point only if nothing completed remains.
    return false;
  };
  return go(0, 0);
}

// Whether `order` (operation ids) is a legal cas-register sequence from 0
// that respects real time: an operation that returned before another was
// called comes first. With `complete`, every non-info operation is in it.
bool ValidOrder(const std::vector<Operation>& ops, const std::vector<size_t>& order, bool complete) {
  std::vector<bool> placed(ops.size(), false);
  int64_t reg = 0;
  for (size_t id : order) {
    const Operation& op = ops[id];
    if (placed[id]) return false;
    for (const Operation& other : ops) {  // nothing that returned before op.call is left out
      if (!placed[other.id] && other.id != id && !other.info && other.ret < op.call) return false;
    }
    placed[id] = true;
    if (op.f == "read") {
      if (!op.info && !(op.output.is_int() && op.output.int_value() == reg)) return false;
    } else if (op.f == "write") {
      reg = op.input.int_value();
    } else {
      if (reg != op.input.items()[0].int_value()) return false;
      reg = op.input.items()[1].int_value();
    }
  }
  if (complete) {
    for (const Operation& op : ops) {
      if (!op.info && !placed[op.id]) return false;
    }
  }
  return true;
}

TEST_CASE("Histories from real executions are linearizable", "[check][property]") {
  Rng rng(11);
  const ModelInfo& model = **FindModel("cas-register");
  for (int i = 0; i < 2000; ++i) {
    Gen g = RandomHistory(rng, 2 + static_cast<int>(rng.Uniform(10)), false);
    INFO(g.text);
    const std::vector<Operation> ops = OpsOf(g.text);
    Result<CheckResult> r = CheckLinearizable(ops, model, {}, {});
    REQUIRE(r.ok());
    REQUIRE(r->verdict == Verdict::kOk);
    if (ops.empty()) continue;  // every operation failed: nothing to order
    REQUIRE(ValidOrder(ops, r->partitions.at(0).linearization, true));
  }
}

// Checks `ops` as a cas-register, split the i-th of four ways (every way
// of splitting must agree), against brute force, and replays the evidence:
// the linearization, or a legal prefix and a non-empty set that cannot
// follow it. Returns whether the history is linearizable.
bool AgreesWithBruteForce(const std::vector<Operation>& ops, int i) {
  CheckBudget budget;
  budget.no_split = i % 4 == 0;
  budget.max_carried_states = i % 4 == 1 ? 1 : i % 4 == 2 ? 2 : 1024;
  Result<CheckResult> r = CheckLinearizable(ops, **FindModel("cas-register"), {}, budget);
  REQUIRE(r.ok());
  const bool want = BruteForce(ops);
  REQUIRE((r->verdict == Verdict::kOk) == want);
  if (ops.empty()) return want;
  const PartitionResult& p = r->partitions.at(0);
  if (want) {
    REQUIRE(ValidOrder(ops, p.linearization, true));
  } else {
    REQUIRE(ValidOrder(ops, p.longest_prefix, false));
    REQUIRE_FALSE(p.stuck.empty());
  }
  return want;
}

TEST_CASE("Mutated histories: the checker agrees with brute force", "[check][property]") {
  Rng rng(12);
  int violations = 0;
  for (int i = 0; i < 3000; ++i) {
    Gen g = RandomHistory(rng, 2 + static_cast<int>(rng.Uniform(7)), true);
    INFO(g.text);
    const std::vector<Operation> ops = OpsOf(g.text);
    REQUIRE(ops.size() <= 8);
    violations += !AgreesWithBruteForce(ops, i);
  }
  CHECK(violations > 300);  // both verdicts were exercised
}

// Whether some acknowledged write in `ops` leaves a value no other
// operation needs: a silent write (wgl.h).
bool HasSilentWrite(const std::vector<Operation>& ops) {
  for (const Operation& x : ops) {
    if (x.info || x.f != "write") continue;
    bool needed = false;
    for (const Operation& y : ops) {
      if (y.id == x.id) continue;
      if (y.f == "read" && !y.info && y.output == x.input) needed = true;
      if (y.f == "cas" && y.input.items()[0] == x.input) needed = true;
    }
    if (!needed) return true;
  }
  return false;
}

TEST_CASE("Many processes, many values, few reads: silent writes agree with brute force", "[check][property]") {
  // Ten values and a read in four: most writes are overwritten before
  // anyone reads them, and several are in flight at once.
  Rng rng(15);
  int violations = 0, silent = 0;
  for (int i = 0; i < 3000; ++i) {
    Gen g = RandomHistory(rng, 2 + static_cast<int>(rng.Uniform(8)), i % 2 == 0, 10, 8, 5, 4);
    INFO(g.text);
    const std::vector<Operation> ops = OpsOf(g.text);
    violations += !AgreesWithBruteForce(ops, i);
    silent += HasSilentWrite(ops);
  }
  CHECK(violations > 200);
  CHECK(silent > 1500);  // silent writes were exercised
}

TEST_CASE("Many acknowledged writes nobody reads do not blow the search up", "[check][budget]") {
  // 30 writes in flight with a read: 2^30 sets of writes to try before the
  // read, unless the writes nobody reads go along with the ones that are
  // read. The read returns one of them (linearizable) or a value nobody
  // wrote (not).
  for (const std::string model : {"register", "kv"}) {
    for (const int read : {7, 1000}) {
      INFO(model << " read " << read);
      const std::string key = model == "kv" ? " :key \"a\"" : "";
      std::string text;
      for (int p = 0; p < 30; ++p) Append(&text, "{:process ", p, " :type :invoke :f :write", key, " :value ", p, "}\n");
      Append(&text, "{:process 99 :type :invoke :f :read", key, "}\n");
      for (int p = 0; p < 30; ++p) Append(&text, "{:process ", p, " :type :ok :f :write", key, " :value ", p, "}\n");
      Append(&text, "{:process 99 :type :ok :f :read", key, " :value ", read, "}\n");
      CheckBudget budget;
      budget.max_steps = 100'000;
      Result<CheckResult> r = CheckLinearizable(OpsOf(text), **FindModel(model), {}, budget);
      REQUIRE(r.ok());
      CHECK(r->verdict == (read == 7 ? Verdict::kOk : Verdict::kViolation));
      CHECK(r->partitions.at(0).steps < 1000);
    }
  }
}

TEST_CASE("Many processes, mostly reads: the checker agrees with brute force", "[check][property]") {
  // Reads are taken alone, first, wherever the state allows one (wgl.h);
  // six processes give many reads in flight at once, and every way of
  // splitting (exhaustive segments carry end states) must agree.
  Rng rng(14);
  int violations = 0;
  for (int i = 0; i < 3000; ++i) {
    Gen g = RandomHistory(rng, 2 + static_cast<int>(rng.Uniform(8)), i % 2 == 0, 3, 12, 6, 2);
    INFO(g.text);
    violations += !AgreesWithBruteForce(OpsOf(g.text), i);
  }
  CHECK(violations > 300);
}

TEST_CASE("Many reads in flight at once do not blow the search up", "[check][budget]") {
  // k clients read the key while a write and an impossible read are in
  // flight. Refuting it used to mean every subset of the reads, 2^k; taken
  // alone, each read is one step. Registers and kv alike.
  for (const std::string model : {"register", "kv"}) {
    INFO(model);
    const std::string key = model == "kv" ? " :key \"a\"" : "";
    std::string text;
    for (int p = 0; p < 40; ++p) Append(&text, "{:process ", p, " :type :invoke :f :read", key, "}\n");
    Append(&text, "{:process 98 :type :invoke :f :write", key, " :value 1}\n");
    Append(&text, "{:process 99 :type :invoke :f :read", key, "}\n");
    for (int p = 0; p < 40; ++p) {
      Append(&text, "{:process ", p, " :type :ok :f :read", key, " :value ", p % 2 == 0 ? "nil" : "1", "}\n");
    }
    Append(&text, "{:process 98 :type :ok :f :write", key, " :value 1}\n");
    Append(&text, "{:process 99 :type :ok :f :read", key, " :value 1000}\n");
    CheckBudget budget;
    budget.max_steps = 100'000;
    Result<CheckResult> r = CheckLinearizable(OpsOf(text), **FindModel(model), {}, budget);
    REQUIRE(r.ok());
    CHECK(r->verdict == Verdict::kViolation);
    CHECK(r->partitions.at(0).steps < 1000);
    // The evidence: every read of nil, the write, every read of 1; then
    // the impossible read is what cannot follow.
    CHECK(r->partitions.at(0).longest_prefix.size() == 41);
  }
}

// Whether some info write or cas in `ops` leaves a value no read returns
// and no cas expects: one models::DropUnseenInfos takes out.
bool HasUnseenInfo(const std::vector<Operation>& ops) {
  auto sets = [](const Operation& op) { return op.f == "write" ? op.input : op.input.items()[1]; };
  for (const Operation& x : ops) {
    if (!x.info || x.f == "read") continue;
    bool seen = false;
    for (const Operation& y : ops) {
      if (y.id == x.id) continue;
      if (y.f == "read" && !y.info && y.output == sets(x)) seen = true;
      if (y.f == "cas" && y.input.items()[0] == sets(x)) seen = true;
    }
    if (!seen) return true;
  }
  return false;
}

TEST_CASE("Infos nobody could see are dropped: the checker still agrees with brute force", "[check][property]") {
  Rng rng(13);
  const ModelInfo& model = **FindModel("cas-register");
  int violations = 0, unseen = 0;
  for (int i = 0; i < 3000; ++i) {
    // More values and more crashes than above: infos whose value nothing
    // reads, beside reads (mutated or not) of values only an info wrote.
    Gen g = RandomHistory(rng, 2 + static_cast<int>(rng.Uniform(7)), i % 2 == 0, 7, 3);
    INFO(g.text);
    const std::vector<Operation> ops = OpsOf(g.text);
    Result<CheckResult> r = CheckLinearizable(ops, model, {}, {});
    REQUIRE(r.ok());
    const bool want = BruteForce(ops);
    REQUIRE((r->verdict == Verdict::kOk) == want);
    violations += !want;
    unseen += HasUnseenInfo(ops);
    if (want && !ops.empty()) REQUIRE(ValidOrder(ops, r->partitions.at(0).linearization, true));
  }
  CHECK(violations > 200);
  CHECK(unseen > 500);  // the drop was exercised
}

TEST_CASE("Many pending infos nobody read do not blow the search up", "[check][budget]") {
  // Porcupine's and Knossos's worst case: k crashed writers whose writes
  // may land at any moment, then a read no write explains. Refuting it
  // means every subset of the writes before the read, 2^k, unless the
  // infos nobody could see are dropped first. Registers and kv alike.
  std::string reg, kv;
  for (int p = 0; p < 40; ++p) {
    Append(&reg, "{:process ", p, " :type :invoke :f :write :value ", p, "}\n{:process ", p, " :type :info :f :write}\n");
    Append(&kv, "{:process ", p, " :type :invoke :f :write :key \"a\" :value ", p, "}\n{:process ", p,
           " :type :info :f :write :key \"a\"}\n");
  }
  Append(&reg, "{:process 99 :type :invoke :f :read}\n{:process 99 :type :ok :f :read :value 1000}\n");
  Append(&kv, "{:process 99 :type :invoke :f :read :key \"a\"}\n{:process 99 :type :ok :f :read :key \"a\" :value 1000}\n");
  for (const auto& [model, text] : {std::pair{"register", reg}, std::pair{"kv", kv}}) {
    INFO(model);
    const std::vector<Operation> ops = OpsOf(text);
    CheckBudget budget;
    budget.max_steps = 100'000;
    Result<CheckResult> r = CheckLinearizable(ops, **FindModel(model), {}, budget);
    REQUIRE(r.ok());
    CHECK(r->verdict == Verdict::kViolation);
    CHECK(r->partitions.at(0).steps < 1000);
    CHECK(r->partitions.at(0).operations == 1);  // the read: every info went
  }
}

}  // namespace
}  // namespace faultline
