-- Regression (lease tokens, models/kit/lease_replica.h "Tokens"): found by
-- the new kit/lease-nemesis sweep at seed 67 and shrunk in 70 runs to 4
-- faults. Primary r1 logged a write, missed its majority and stepped down;
-- it crashed, recovered the write's token from its log, and as a backup
-- answered the client's retry ok from its token table, though no primary
-- ever held the write: a later read missed an acknowledged write. Only a
-- serving primary answers a retry now. tests/scenario/golden_test.cc runs
-- every file here at its seed and requires every check to hold.
local s = scenario {
  name = "regression: a lease backup acknowledged a write it had only logged",
  description = "lease, 5 replicas: a retry must not be acknowledged from a token of a write no primary held",
  model = "kv", nodes = 5, seed = 67,
  duration = "4.5s", quiesce = "3s", sample_every = "5ms",
  params = { anti_entropy = "200ms", bug = "none", clock = "hlc", lease_duration = "300ms", lease_guard = "100ms", mode = "lease", snapshot_every = "1000", },
  workload = { clients = 8, keys = 2, distribution = "uniform", think = "20ms" },
}

s:at("995ms", partition.groups({"r1", "r2"}, {"r4", "r3", "r5"}), "550ms")
s:at("2.471s", crash("r3", "lose"), "778ms")
s:at("2.94s", partition.isolate("r5"), "768ms")
s:at("3.344s", crash("r1", "lose"), "195ms")

s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "2s", })
return s
