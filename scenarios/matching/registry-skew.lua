-- Clock skew on the registry's primary (issue 6): with a lease registry,
-- the primary's clock falls 500 ms behind at 1 s (beyond the 100 ms guard)
-- and at 1.5 s the primary stalls for 400 ms, as in a long GC pause. The
-- others elect a new primary; the old one wakes believing its lease still
-- valid and grants assignments beside the new one. Expected: developers
-- booked beyond capacity, and bookings that are not linearizable.
local s = scenario {
  name = "matching: clock skew on the registry primary",
  description = "lease registry: primary's clock 500 ms behind, then paused for 400 ms",
  model = "matching", nodes = 3, duration = "4s", quiesce = "2.5s", sample_every = "50ms",
  params = { registry = "lease", profiles = "crdt" },
  workload = { clients = 4, think = "15ms", mix = { profile = 1, project = 4 } },
}
s:at("1s", clock.skew(primary(), "-500ms"))
s:at("1.5s", pause(primary()), "400ms")
s:check("no_double_booking")
s:check("linearizable")
s:check("profiles_converge", { within = "2s" })
s:check("match_staleness", { bound = "1s" })
s:check("scores_explained")
s:check("no_lost_profile_updates")
s:expect("no_double_booking")
s:expect("linearizable")
return s
