-- The consistency kit's expected-behaviour table (issue 4), row "lease",
-- column "partition": lease (primary-backup with a 300 ms lease and a 100 ms guard).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- Known gap (docs/consistency-modes.md): lease mode has no anti-entropy,
-- so a backup that missed a write during the cut may not converge; about
-- one seed in six fails `converges`. The check stays so sweeps count it.
local s = scenario {
  name = "kit: lease under partition",
  description = "lease: the primary cut off from the other replicas from 1 s to 3 s (clients reach every replica)",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lease" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", partition.isolate(primary()), "2s")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s" })
return s
