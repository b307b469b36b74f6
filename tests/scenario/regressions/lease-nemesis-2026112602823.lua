-- Regression (lease tokens, models/kit/lease_replica.h "Tokens"): found by
-- the kit/lease-nemesis sweep at seed 2026112602823 (1 of 3,000 seeds once
-- only serving primaries answered retries) and shrunk in 106 runs to three
-- faults, two of them pauses. A write reached one backup and missed its
-- majority; a later primary's PUSH replaced that backup's keys but merged
-- its tokens, so the discarded write's token outlived it. When the backup
-- granted the next primary, its token came along, and that primary
-- answered the client's retry ok for a write its state did not hold. A
-- PUSH now replaces tokens with the keys, and a new primary keeps only the
-- tokens of writes its merged state holds.
local s = scenario {
  name = "regression: a PUSH discarded a write but kept its token",
  description = "lease, 5 replicas: a retry must not be acknowledged from a token of a write no primary held",
  model = "kv", nodes = 5, seed = 2026112602823,
  duration = "4.5s", quiesce = "3s", sample_every = "5ms",
  params = { anti_entropy = "200ms", bug = "none", clock = "hlc", lease_duration = "300ms", lease_guard = "100ms", mode = "lease", snapshot_every = "1000", },
  workload = { clients = 8, keys = 2, distribution = "uniform", think = "20ms" },
}

s:at("1.581s", pause("r4"), "426ms")
s:at("2.355s", partition.groups({"r4", "r3"}, {"r2", "r5", "r1"}), "361ms")
s:at("2.839s", pause("r1"), "382ms")

s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "2s", })
return s
