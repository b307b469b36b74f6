-- The consistency kit's expected-behaviour table (issue 4), row "lww-wall",
-- column "clock skew beyond the guard": lww with wall-clock timestamps.
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- Expected: with wall-clock stamps, writes on the node whose clock runs
-- behind lose to earlier writes (no_lost_writes names them), and the
-- history is not linearizable.
local s = scenario {
  name = "kit: lww-wall under clock skew beyond the guard",
  description = "lww-wall: r1 500 ms behind and r3 500 ms ahead from 1 s, r1 cut off for 400 ms",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lww", clock = "wall" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", clock.skew("r1", "-500ms"))
s:at("1s", clock.skew("r3", "+500ms"))
s:at("1.5s", partition.isolate("r1"), "400ms")
s:check("linearizable")
s:check("no_lost_writes")
s:check("lww_rule")
s:check("converges", { within = "1s" })
s:expect("linearizable")
s:expect("no_lost_writes")
return s
