-- Five lease replicas under a nemesis of the faults a lease is meant to
-- survive: partitions, kills with torn unsynced writes, and pauses (no
-- clock error and no slow links, which the lease's guard bounds). A fault
-- every 200-600 ms for 6 s. The lease must stay linearizable, never have
-- two primaries acknowledging writes, and converge once all is healed.
local s = scenario {
  name = "kit: lease under a nemesis",
  description = "5 lease replicas, 8 clients on 2 keys, partitions, kills and pauses every 200-600 ms: linearizable throughout",
  model = "kv", nodes = 5, duration = "6s", quiesce = "3s",
  params = { mode = "lease" },
  workload = { clients = 8, keys = 2, think = "20ms" },
}
s:nemesis {
  kinds = { "partition", "kill", "pause" },
  every = "200ms..600ms", lasting = "100ms..800ms", from = "500ms",
}
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "2s" })
return s
