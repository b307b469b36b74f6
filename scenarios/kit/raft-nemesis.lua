-- Five raft replicas under a swarm nemesis: each seed draws which fault
-- kinds are on (partitions, kills with torn writes, pauses, clock skew and
-- jumps, clogged links), then a fault every 200-600 ms for 6 s. Raft must
-- stay linearizable, never have two leaders acknowledging writes, and
-- converge once everything is healed. The log is compacted every 40
-- applied entries, so restarts recover from snapshots and replicas that
-- were cut off or down catch up from the leader's.
local s = scenario {
  name = "kit: raft under a swarm nemesis",
  description = "5 raft replicas, 5 clients, a random mix of faults every 200-600 ms: linearizable throughout",
  model = "kv", nodes = 5, duration = "6s", quiesce = "3s",
  params = { mode = "raft", snapshot_every = 40 },
  workload = { clients = 5, keys = 10, think = "20ms" },
}
s:nemesis {
  kinds = { "partition", "kill", "pause", "skew", "jump", "clog" },
  every = "200ms..600ms", lasting = "100ms..800ms", from = "500ms",
  skew = "400ms", swarm = true,
}
s:check("linearizable")
s:check("split_brain")
s:check("converges", { within = "2s" })
return s
