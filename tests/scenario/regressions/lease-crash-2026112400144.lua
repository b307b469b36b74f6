-- Regression (lease catch-up, docs/consistency-modes.md): a nightly's
-- finding, as shrink left it from kit/lease-crash seed 2026112400144 in 21
-- runs (one crash, one client, 9 operations). The primary crashed with a
-- torn write and came back as a backup; nothing ever sent it the writes it
-- missed, so it held an old value of one key past the 1 s converges bound.
-- With backups reporting their sync point and the primary sending what
-- they lack, it converges at the quiet point. tests/scenario/golden_test.cc
-- runs every file here at its seed and requires every check to hold.
local s = scenario {
  name = "regression: lease backup stale after its crash as primary",
  description = "lease: the primary crashed (torn) at 1 s for 500 ms, one client; a restarted replica must catch up",
  model = "kv", nodes = 3, seed = 2026112400144,
  duration = "1.75s", quiesce = "2.5s", sample_every = "5ms",
  params = { anti_entropy = "200ms", bug = "none", clock = "hlc", lease_duration = "300ms", lease_guard = "100ms", mode = "lease", snapshot_every = "1000", },
  workload = { clients = 1, keys = 10, distribution = "uniform", think = "160ms" },
}

s:at("1s", crash(primary(), "torn"), "500ms")

s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s", })
return s
