-- wrk script: each request posts a new guest comment through newsdesk's comment form
-- endpoint, as discussion.js does (X-Requested-With), with a CSRF cookie and header.
-- usage: wrk -s bench/post_newsdesk.lua URL -- CSRF_TOKEN [PACE_MS [RUN]]
-- RUN makes the texts of several runs against one database differ: a repeated text
-- would be answered as a double submit, which costs less than a real post.
-- With PACE_MS each connection waits PACE_MS on average (0.5-1.5x, random) after every
-- answer, so C connections offer about C * 1000 / PACE_MS posts a second: the latency
-- at a given rate rather than at saturation.
local threads, counter, token, run = {}, 0, "", "a"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  run = args[3] or "a"
  local pace = tonumber(args[2] or "0")
  if pace > 0 then
    math.randomseed(tid)
    delay = function()
      return pace * (0.5 + math.random())
    end
  end
end

local function encode(text)
  return (text:gsub("[^%w%-_%.~ ]", function(c)
    return string.format("%%%02X", string.byte(c))
  end):gsub(" ", "+"))
end

request = function()
  counter = counter + 1
  local who = run .. tid .. "-" .. counter
  local body = "body=" .. encode("Load test comment " .. who .. ": the *timing* matters, see [source](https://example.org/" .. who .. ").")
    .. "&guest_name=" .. encode("Load " .. tid)
    .. "&guest_email=" .. encode("load" .. tid .. "@example.org")
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token,
    ["X-CSRFToken"] = token,
    ["X-Requested-With"] = "XMLHttpRequest",
  }, body)
end
