-- Crash-restart loops of the matching engines (issue 6): from 1 s the two
-- front nodes are killed in turn every 400 ms and restarted 250 ms later,
-- so a restarted engine serves from an empty copy it must rebuild before
-- it may match. Matches fail while no engine has a fresh copy, never use
-- one older than the engine's bound, and every score stays explained.
local s = scenario {
  name = "matching: crash-restart loops of the matching engines",
  description = "e1 and e2 killed in turn every 400 ms from 1 s to 3.4 s, each back after 250 ms",
  model = "matching", nodes = 3, duration = "4s", quiesce = "2s", sample_every = "50ms",
  params = { registry = "raft", profiles = "crdt" },
  workload = { clients = 4, think = "30ms", mix = { profile = 1, project = 2 } },
}
for i = 0, 5 do
  local engine = (i % 2 == 0) and "e1" or "e2"
  s:at(string.format("%dms", 1000 + 400 * i), crash(engine), "250ms")
end
s:check("no_double_booking")
s:check("linearizable")
s:check("profiles_converge", { within = "2s" })
s:check("match_staleness", { bound = "1s" })
s:check("scores_explained")
s:check("no_lost_profile_updates")
return s
