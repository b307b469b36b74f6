-- The consistency kit's expected-behaviour table (issue 4), row "lww-hlc",
-- column "crash + restart": lww with hybrid logical clock timestamps.
-- 3 replicas, 3 clients on 10 keys; the workload stops at 3.5 s, then
-- every fault is healed and the system is left alone for 2.5 s.
-- linearizable is not checked: lww never promises it, and a restarted
-- replica serves stale reads until anti-entropy catches up.
local s = scenario {
  name = "kit: lww-hlc under crash + restart",
  description = "lww-hlc: r1 crashed at 1 s with a torn write, restarted at 2 s",
  model = "kv", nodes = 3, duration = "3.5s", quiesce = "2.5s",
  params = { mode = "lww", clock = "hlc" },
  workload = { clients = 3, keys = 10, think = "20ms" },
}
s:at("1s", crash("r1", "torn"), "1s")
s:check("no_lost_writes")
s:check("lww_rule")
s:check("converges", { within = "1s" })
return s
