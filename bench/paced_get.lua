-- wrk script: plain GETs, paced (bench/pacing.lua) to offer a given rate.
-- usage: wrk -s bench/paced_get.lua URL -- PACE_MS
local pace = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "pacing.lua")

function init(args)
  pace(args[1])
end
