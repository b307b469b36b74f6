-- Regression (ADR 0012): the first nightly sweep's finding, as shrink left
-- it from kit/crdt-partition seed 2026112400004 in 20 runs (one fault, one
-- client). With a random anti-entropy peer per round, r3 stayed stale past
-- the 1 s converges bound after this 50 ms isolation of r1; with peers in
-- turn it converges. tests/scenario/golden_test.cc runs every file here at
-- its seed and requires every check to hold.
local s = scenario {
  name = "regression: crdt replica stale after a short isolation",
  description = "crdt: r1 cut off for 50 ms at 2.95 s, one client; the nightly's first finding (ADR 0012)",
  model = "kv", nodes = 3, seed = 2026112400004,
  duration = "3.5s", quiesce = "2.5s", sample_every = "5ms",
  params = { anti_entropy = "200ms", bug = "none", clock = "hlc", lease_duration = "300ms", lease_guard = "100ms", mode = "crdt", },
  workload = { clients = 1, keys = 10, distribution = "uniform", think = "40ms" },
}

s:at("2.95s", partition.isolate("r1"), "50ms")

s:check("crdt_merge")
s:check("converges", { within = "1s", })
return s
