-- The smallest real run: three raft replicas, three clients, no faults.
-- Everything must pass; if this fails, nothing else is worth reading.
local s = scenario {
  name = "smoke: raft kv, no faults",
  description = "3 raft replicas, 3 clients, 2 s, no faults: every check passes",
  model = "kv", nodes = 3, duration = "2s", quiesce = "1s",
  params = { mode = "raft" },
  workload = { clients = 3, keys = 5, think = "20ms" },
}
s:check("linearizable")
s:check("converges", { within = "1s" })
s:check("split_brain")
return s
