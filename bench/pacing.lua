-- Shared by the wrk scripts (dofile'd from their own folder): numbers wrk's threads
-- (global `tid` in each) and returns pace(PACE_MS), which, for PACE_MS > 0, makes each
-- connection wait PACE_MS on average (0.5-1.5x, random) after every answer. C connections
-- then offer about C * 1000 / PACE_MS requests a second: the latency at a given rate
-- rather than at saturation.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

return function(pace_ms)
  local pace = tonumber(pace_ms or "0")
  if pace > 0 then
    math.randomseed(tid)
    delay = function()
      return pace * (0.5 + math.random())
    end
  end
end
