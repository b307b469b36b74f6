-- A swarm nemesis over the whole matching service (issue 6): each seed
-- draws which fault kinds are on (partitions, kills, pauses, clock skew
-- and jumps, clogged links), then a fault every 200-600 ms for 5 s, on
-- any server: registry, profile store or front node.
local s = scenario {
  name = "matching: swarm nemesis",
  description = "a random mix of faults every 200-600 ms on every kind of server",
  model = "matching", nodes = 3, duration = "5s", quiesce = "3s", sample_every = "50ms",
  params = { registry = "raft", profiles = "crdt" },
  workload = { clients = 4, think = "25ms", mix = { profile = 1, project = 3 } },
}
s:nemesis {
  kinds = { "partition", "kill", "pause", "skew", "jump", "clog" },
  every = "200ms..600ms", lasting = "100ms..800ms", from = "500ms",
  skew = "400ms", swarm = true,
}
s:check("no_double_booking")
s:check("linearizable")
s:check("profiles_converge", { within = "2s" })
s:check("match_staleness", { bound = "1s" })
s:check("scores_explained")
s:check("no_lost_profile_updates")
return s
