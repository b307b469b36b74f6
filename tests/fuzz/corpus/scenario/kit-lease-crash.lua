-- The consistency kit's expected-behaviour table (issue 4), row "lease",
-- column "crash + restart": lease (primary-backup with a 300 ms lease and a 100 ms guard).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
local s = scenario {
  name = "kit: lease under crash + restart",
  description = "lease: the primary crashed at 1 s with a torn write, restarted at 2 s",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lease" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", crash(primary(), "torn"), "1s")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s" })
return s
