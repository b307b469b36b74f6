-- The consistency kit's expected-behaviour table (issue 4), row "raft",
-- column "crash + restart": raft (leader election, majority commit, ReadIndex reads).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
local s = scenario {
  name = "kit: raft under crash + restart",
  description = "raft: the leader crashed at 1 s with a torn write, restarted at 2 s",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "raft" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", crash(leader(), "torn"), "1s")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s" })
return s
