// The scenario API (sim/scenario/api.h): what a scenario declares becomes a
// spec, and every kind of bad input is refused with file, line and what was
// expected.
#include <catch2/catch.hpp>

#include "sim/cli/models.h"
#include "sim/scenario/api.h"
#include "sim/scenario/units.h"

namespace faultline::scenario {
namespace {

const std::string kHead =
    "local s = scenario { name = 'n', model = 'kv', nodes = 3, duration = '4s',\n"
    "  params = { mode = 'lease' }, workload = { clients = 2 } }\n";

Result<ScenarioSpec> Load(const std::string& src, std::vector<std::string> sets = {}) {
  LoadOptions o;
  o.overrides = std::move(sets);
  return LoadScenarioSource("t.lua", src, cli::Models(), o);
}

// The error message of loading `src`, which must fail.
std::string Error(const std::string& src, std::vector<std::string> sets = {}) {
  Result<ScenarioSpec> r = Load(src, std::move(sets));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Error::kInvalidArgument);
  return r.status().message();
}

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_CASE("api: a scenario becomes a spec") {
  Result<ScenarioSpec> r = Load(kHead +
                                "s:at('1s', partition.isolate(primary()), '2s')\n"
                                "s:at('1.5s', crash('r2', 'torn'))\n"
                                "s:at('2s', clock.skew('r3', '+400ms'))\n"
                                "s:nemesis { kinds = { 'partition', 'kill' }, every = '300ms..800ms', swarm = true }\n"
                                "s:check('linearizable')\n"
                                "s:check('converges', { within = '1s' })\n"
                                "s:expect('linearizable')\n"
                                "return s\n");
  REQUIRE(r.ok());
  CHECK(r->model == "kv");
  CHECK(r->nodes == 3);
  CHECK(r->duration == Duration::Seconds(4));
  CHECK(r->params.at("mode") == "lease");
  CHECK(r->workload.clients == 2);
  REQUIRE(r->schedule.size() == 3);
  CHECK(r->schedule[0].fault.kind == "partition.isolate");
  CHECK(r->schedule[0].fault.nodes[0].role == "primary");
  CHECK(*r->schedule[0].lasting == Duration::Seconds(2));
  CHECK(r->schedule[0].line == 3);
  CHECK(r->schedule[1].fault.option == "torn");
  CHECK(r->schedule[2].fault.amount == Duration::Millis(400));
  REQUIRE(r->nemesis);
  CHECK(r->nemesis->every_max == Duration::Millis(800));
  CHECK(r->nemesis->swarm);
  CHECK(r->checks.size() == 2);
  CHECK(r->checks[1].options.at("within") == "1s");
  CHECK(r->expect == std::vector<std::string>{"linearizable"});
}

TEST_CASE("api: regions and degraded links") {
  Result<ScenarioSpec> r = Load(
      "local s = scenario { name = 'n', model = 'kv', nodes = 3, regions = { east = { 'r1', 'r2' }, ['us-west'] = { 'r3' } },\n"
      "  region_latency = '30ms' }\n"
      "s:at('1s', link.degrade('r1', 'r3', { latency = '5ms..50ms', loss = '5%', duplicate = '0.01' }), '1s')\n"
      "s:check('linearizable') return s\n");
  REQUIRE(r.ok());
  CHECK(r->regions.at("east") == std::vector<std::string>{"r1", "r2"});
  CHECK(r->regions.at("us-west") == std::vector<std::string>{"r3"});
  CHECK(r->region_latency == Duration::Millis(30));
  CHECK(r->schedule[0].fault.Lua() == "link.degrade(\"r1\", \"r3\", { latency = \"5ms..50ms\", loss = \"5%\", duplicate = \"0.01\", })");
  const std::string head = "local s = scenario { name = 'n', model = 'kv', nodes = 3";
  CHECK(Has(Error(head + ", regions = { a = { 'r1' }, b = { 'r1' } } }\ns:check('linearizable') return s"), "r1 is in both a and b"));
  CHECK(Has(Error(head + ", regions = { a = { 'r4' } } }\ns:check('linearizable') return s"), "scenario.regions.a: unknown node \"r4\""));
  CHECK(Has(Error(head + " }\ns:at('1s', link.degrade('r1', 'r2', { loss = '150%' }))"), "link.degrade loss: invalid probability \"150%\""));
  CHECK(Has(Error(head + " }\ns:at('1s', link.degrade('r1', 'r2', { jitter = '5ms' }))"), "link.degrade options: unknown field \"jitter\"; known fields: duplicate, latency, loss"));
  CHECK(Has(Error(head + " }\ns:at('1s', link.degrade('r1', 'r2', {}))"), "expected at least one of latency, loss, duplicate"));
  CHECK(Has(Error(head + " }\ns:at('1s', disk.corrupt('r1', 'raft.log', 0, 40000))"), "disk.corrupt bit: expected an integer from 0 to 32767"));
  CHECK(Has(Error(head + " }\ns:at('1s', disk.corrupt('r1', 'raft.log', 0, 1), '1s')"), "disk.corrupt has no undo"));
  Result<ScenarioSpec> c = Load(head + " }\ns:at('1s', disk.corrupt('r1', 'raft.log', 2, 9)) s:check('linearizable') return s");
  REQUIRE(c.ok());
  CHECK(c->schedule[0].fault.Lua() == "disk.corrupt(\"r1\", \"raft.log\", 2, 9)");
}

TEST_CASE("api: --set overrides model parameters and scenario fields") {
  Result<ScenarioSpec> r = Load(kHead + "s:check('linearizable') return s", {"mode=raft", "duration=6s", "workload.clients=5"});
  REQUIRE(r.ok());
  CHECK(r->params.at("mode") == "raft");
  CHECK(r->duration == Duration::Seconds(6));
  CHECK(r->workload.clients == 5);
  CHECK(Has(Error(kHead + "s:check('linearizable') return s", {"colour=red"}), "unknown parameter \"colour\"; known: mode, clock"));
  CHECK(Has(Error(kHead + "s:check('linearizable') return s", {"mode=paxos"}), "expected one of raft, lease, lww, crdt"));
  CHECK(Has(Error(kHead + "s:check('linearizable') return s", {"workload.clients=lots"}), "workload.clients: expected an integer"));
}

TEST_CASE("api: errors name the file and line and say what was expected") {
  CHECK(Has(Error("local s = scenario {\n  name = 'x',\n  model = 'kv' colour = 1 }"), "t.lua:3:"));
  std::string unknown = Error("return scenario { name = 'x', model = 'kv', colour = 'red' }");
  CHECK(Has(unknown, "t.lua:1: scenario: unknown field \"colour\"; known fields: description, duration"));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', duration = 5 }"),
            "scenario.duration: expected a duration string such as \"250ms\" or \"3s\", got 5"));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', duration = '5 parsecs' }"), "expected a duration"));
  CHECK(Has(Error("return scenario { name = 'x', model = 'raftkv' }"), "unknown model \"raftkv\"; known models: kv"));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', params = { mode = 'paxos' } }"),
            "parameter mode: expected one of raft, lease, lww, crdt, got \"paxos\""));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', nodes = 40 }"), "scenario.nodes: expected an integer from 1 to 9"));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', workload = { rate = 'fast' } }"),
            "workload.rate: expected a rate such as \"200/s\""));
  CHECK(Has(Error("return scenario { name = 'x', model = 'kv', workload = { mix = { get = 1, scan = 2 } } }"),
            "workload.mix: unknown field \"scan\"; known fields: get, put, cas, delete"));
  CHECK(Has(Error(kHead + "s:at('1s', crash('r7'))\ns:check('linearizable') return s"),
            "t.lua:3: unknown node \"r7\"; this scenario's nodes are r1..r3"));
  CHECK(Has(Error(kHead + "s:at('1s', crash(42))"), "t.lua:3: crash node: expected a node name such as \"r1\", leader() or primary(), got 42"));
  CHECK(Has(Error(kHead + "s:at('1s', 'crash')"), "t.lua:3: expected a fault such as crash(\"r1\")"));
  CHECK(Has(Error(kHead + "s:at('1s', crash('r1', 'shred'))"), "crash disk: expected \"lose\""));
  CHECK(Has(Error(kHead + "s:at('9s', crash('r1'))\ns:check('linearizable') return s"), "t.lua:3: s:at 9s is not before the duration (4s)"));
  CHECK(Has(Error(kHead + "s:check('serializable')"), "t.lua:3: s:check: model kv has no check \"serializable\"; its checks: linearizable"));
  CHECK(Has(Error(kHead + "s:check('crdt_merge') return s"), "check crdt_merge needs mode = \"crdt\""));
  CHECK(Has(Error(kHead + "s:nemesis { kinds = { 'meteor' } }"), "s:nemesis kinds: unknown kind \"meteor\"; known kinds: partition, kill"));
  CHECK(Has(Error(kHead + "s:nemesis { kinds = { 'kill' }, every = '1s..100ms' }"), "expected a duration or a range"));
  CHECK(Has(Error(kHead + "s:check('linearizable') s:expect('split_brain') return s"), "names a check the scenario does not run"));
  CHECK(Has(Error(kHead + "return s"), "no checks"));
  CHECK(Has(Error("return 42"), "declares no scenario"));
  CHECK(Has(Error(kHead + "s:check('linearizable') return 42"), "expected the file to return its scenario"));
  CHECK(Has(Error(kHead + "local t = nil\nt.x = 1"), "t.lua:4: attempt to index a nil value"));
}

TEST_CASE("api: a linearizable check takes a search budget, and nothing else does") {
  Result<ScenarioSpec> r = Load(kHead + "s:check('linearizable', { steps = 5000000, memory = 256 }) return s");
  REQUIRE(r.ok());
  Result<CheckBudget> b = SearchBudget(r->checks[0]);
  REQUIRE(b.ok());
  CHECK(b->max_steps == 5'000'000);
  CHECK(b->memory_bytes == size_t{256} << 20);
  CHECK_FALSE(b->out_of_time);  // never wall time (ADR 0016)
  r = Load(kHead + "s:check('linearizable') return s");
  REQUIRE(r.ok());
  b = SearchBudget(r->checks[0]);
  REQUIRE(b.ok());
  CHECK(b->max_steps == kDefaultSearchSteps);
  CHECK(Has(Error(kHead + "s:check('linearizable', { steps = 'lots' }) return s"),
            "check linearizable steps: expected a positive whole number of search steps, such as 100000000, got \"lots\""));
  CHECK(Has(Error(kHead + "s:check('linearizable', { steps = 0 }) return s"), "got \"0\""));
  CHECK(Has(Error(kHead + "s:check('linearizable', { memory = -1 }) return s"), "whole number of MiB"));
  CHECK(Has(Error(kHead + "s:check('linearizable', { within = '1s' }) return s"),
            "check linearizable has no option \"within\"; its options: steps, memory"));
  CHECK(Has(Error(kHead + "s:check('split_brain', { steps = 5 }) return s"), "check split_brain has no option \"steps\"; it takes none"));
}

TEST_CASE("api: a scenario over its budgets stops with that message") {
  LoadOptions o;
  o.limits.instructions = 200'000;
  Result<ScenarioSpec> loop = LoadScenarioSource("t.lua", "while true do end", cli::Models(), o);
  REQUIRE_FALSE(loop.ok());
  CHECK(Has(loop.status().message(), "instruction budget"));
  o.limits.memory_bytes = 2 << 20;
  Result<ScenarioSpec> bomb = LoadScenarioSource("t.lua", "local t = {} while true do t[#t + 1] = {} end", cli::Models(), o);
  REQUIRE_FALSE(bomb.ok());
  CHECK(Has(bomb.status().message(), "memory limit"));
}

TEST_CASE("units: rates, ranges and decimals") {
  CHECK(*ParseRate("200/s") == 200);
  CHECK(*ParseRate("120/m") == 2);
  CHECK_FALSE(ParseRate("0/s").ok());
  CHECK_FALSE(ParseRate("5/h").ok());
  CHECK_FALSE(ParseRate("90/m").ok());
  CHECK(ParseDurationRange("300ms..800ms")->second == Duration::Millis(800));
  CHECK(ParseDurationRange("1s")->first == Duration::Seconds(1));
  CHECK_FALSE(ParseDurationRange("2s..1s").ok());
  CHECK(*ParseDecimal("1.25") == 1.25);
  CHECK_FALSE(ParseDecimal("1.").ok());
  CHECK_FALSE(ParseDecimal("1e3").ok());
}

}  // namespace
}  // namespace faultline::scenario
