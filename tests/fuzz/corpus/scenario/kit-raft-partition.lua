-- The consistency kit's expected-behaviour table (issue 4), row "raft",
-- column "partition": raft (leader election, majority commit, ReadIndex reads).
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
local s = scenario {
  name = "kit: raft under partition",
  description = "raft: the leader cut off from the other replicas from 1 s to 3 s (clients reach every replica)",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "raft" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", partition.isolate(leader()), "2s")
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "1s" })
return s
