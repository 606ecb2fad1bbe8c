-- wrk script: each request posts a new comment to Isso's API (POST /new?uri=..., JSON).
-- usage: wrk -s bench/post_isso.lua "URL/new?uri=/post-thread/" -- ORIGIN [RUN]
-- RUN makes the texts of several runs against one database differ, as for newsdesk.
local threads, counter, origin, run = {}, 0, "", ""

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  origin = args[1]
  run = args[2] or ""
end

request = function()
  counter = counter + 1
  local who = run .. tid .. "-" .. counter
  local body = '{"text": "Load test comment ' .. who .. ': the *timing* matters, see [source](https://example.org/' .. who .. ').", '
    .. '"author": "Load ' .. tid .. '", "email": "load' .. tid .. '@example.org", "title": "Posting thread"}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
  }, body)
end
