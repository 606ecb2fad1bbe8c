-- wrk script: each request posts a new guest comment through newsdesk's comment form
-- endpoint, as discussion.js does (X-Requested-With), with a CSRF cookie and header.
-- usage: wrk -s bench/post_newsdesk.lua URL -- CSRF_TOKEN [PACE_MS [RUN]]
-- RUN makes the texts of several runs against one database differ: a repeated text
-- would be answered as a double submit, which costs less than a real post.
-- PACE_MS paces each connection (bench/pacing.lua): the latency at a given rate rather
-- than at saturation.
local pace = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "pacing.lua")
local counter, token, run = 0, "", "a"

function init(args)
  token = args[1]
  run = args[3] or "a"
  pace(args[2])
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
