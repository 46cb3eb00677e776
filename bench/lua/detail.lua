-- Each request: one viewer (the bearer token in wrk's -H) opens a work chosen at random among IDS (the
-- first works of the hot tab: readers open what the feed shows them).
local ids = {}

function init(args)
  for id in string.gmatch(os.getenv("IDS"), "%d+") do ids[#ids + 1] = id end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  return wrk.format("GET", "/v1/works/" .. ids[math.random(#ids)])
end
