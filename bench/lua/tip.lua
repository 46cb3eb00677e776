-- Each request: a random fan (bearer token from TOKENS_FILE) tips 10 credits to a random work.
local tokens = {}
local works = tonumber(os.getenv("WORKS"))

function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  local token = tokens[math.random(#tokens)]
  local path = "/v1/works/" .. math.random(works) .. "/tip_and_favorite"
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token,
                                   ["Content-Type"] = "application/json"}, '{"amount_credits":10}')
end
