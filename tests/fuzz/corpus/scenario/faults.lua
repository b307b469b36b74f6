local s = scenario { name = "x", model = "kv", params = { mode = "crdt" } }
s:check("crdt_merge")
s:at("1s", partition.groups({"r1"}, {"r2", leader()}), "1s")
s:at("2s", link.clog("r1", "r2", "50ms"))
s:at("2.5s", disk.full("r3", true), "100ms")
s:at("2.6s", clock.drift("r2", 300))
return s
