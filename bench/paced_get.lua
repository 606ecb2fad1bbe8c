-- wrk script: plain GETs, each connection waiting PACE_MS on average (0.5-1.5x, random)
-- after every answer, so C connections offer about C * 1000 / PACE_MS requests a second:
-- the latency at a given rate rather than at saturation.
-- usage: wrk -s bench/paced_get.lua URL -- PACE_MS
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local pace = tonumber(args[1] or "0")
  if pace > 0 then
    math.randomseed(tid)
    delay = function()
      return pace * (0.5 + math.random())
    end
  end
end
