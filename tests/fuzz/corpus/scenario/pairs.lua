local s = scenario { name = "x", model = "kv" }
for k, v in pairs({a=1, b=2}) do s:check(k == "a" and "linearizable" or "converges") end
s:expect("converges")
return s